#!/usr/bin/env python3
"""Writes Tests/LocalInferenceTests/Fixtures/quant/quant.gguf: reference values for the tensor types.

For each supported ggml type T the file holds, written by the `gguf` Python package (not by our writer):
  dequant.T.raw       random blocks of T (4 rows x 256 elements; fp16 scales set to sane values)
  dequant.T.expected  F32: gguf.quants.dequantize of those blocks
and for the types gguf-py can quantize (F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0):
  quant.input         F32: 4 x 256 normal floats
  quant.T.expected    gguf.quants.quantize(quant.input, T), stored as raw T blocks
Run with the reference venv: PY=$(bash scripts/reference/setup.sh); $PY scripts/reference/quant_fixtures.py
"""
import os
import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

ROWS, COLS = 4, 256
OUT = os.path.join(os.path.dirname(__file__), "../../Tests/LocalInferenceTests/Fixtures/quant/quant.gguf")

# Byte offsets of fp16 scale fields inside one block (everything else is random bits).
HALF_FIELDS = {
    T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
    T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
}


def random_blocks(rng, qtype):
    block, size = gguf.GGML_QUANT_SIZES[qtype]
    if qtype == T.F32:
        return rng.standard_normal((ROWS, COLS)).astype(np.float32).view(np.uint8)
    if qtype == T.F16:
        return rng.standard_normal((ROWS, COLS)).astype(np.float16).view(np.uint8)
    if qtype == T.BF16:
        return quantize(rng.standard_normal((ROWS, COLS)).astype(np.float32), T.BF16)
    n_blocks = ROWS * COLS // block
    raw = rng.integers(0, 256, size=(n_blocks, size), dtype=np.uint8)
    for off in HALF_FIELDS[qtype]:
        scale = (rng.uniform(0.001, 0.1, size=n_blocks) * rng.choice([-1, 1], size=n_blocks)).astype(np.float16)
        raw[:, off:off + 2] = scale.view(np.uint8).reshape(n_blocks, 2)
    return raw.reshape(ROWS, COLS // block * size)


def main():
    rng = np.random.default_rng(20261125)
    w = gguf.GGUFWriter(OUT, arch="fixture")
    types = [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K, T.Q6_K]
    for qtype in types:
        raw = random_blocks(rng, qtype)
        expected = dequantize(raw, qtype).astype(np.float32).reshape(ROWS, COLS)
        w.add_tensor(f"dequant.{qtype.name}.raw", raw, raw_dtype=qtype)
        w.add_tensor(f"dequant.{qtype.name}.expected", expected)
    x = rng.standard_normal((ROWS, COLS)).astype(np.float32)
    w.add_tensor("quant.input", x)
    for qtype in [T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1]:
        q = quantize(x, qtype)
        w.add_tensor(f"quant.{qtype.name}.expected", q, raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
