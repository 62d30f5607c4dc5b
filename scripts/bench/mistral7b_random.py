#!/usr/bin/env python3
"""Writes a Mistral-7B-shaped GGUF with random weights, for the 7B-scale engine benchmark.

    PY=$(bash scripts/reference/setup.sh)   # the reference venv's python
    $PY scripts/bench/mistral7b_random.py --type Q4_0 [--out models/random]
    $PY scripts/bench/mistral7b_random.py --type Q4_K

Shape of Mistral 7B v0.1: 32 layers, 4096 embedding, 14336 feed-forward, 32 heads, 8 KV heads (head 128),
32000 vocabulary, RoPE base 10000, RMSNorm eps 1e-5. Every matrix (token embedding, output head, q/k/v/o,
gate/up/down) is in --type; norms are F32 ones. The quantized blocks are random bytes with fixed, small
block scales (weights of magnitude ~0.01), written block by block: no fp32 copy of the model is made and
the file (~3.8 GB for Q4_0, ~4.0 GB for Q4_K) streams to disk in a minute.

A minimal `llama` (SentencePiece) tokenizer goes into the metadata — <unk>, <s>, </s>, the 256 byte tokens
<0x00>…<0xFF>, then "▁t<i>" pieces — so that both our engine and llama.cpp load the file. The model's
outputs are meaningless; only its shape and tensor types matter for speed. Files go under models/ (git-ignored).
"""
import argparse
import pathlib

import numpy as np
import gguf

LAYERS, EMBD, FFN, HEADS, KV_HEADS, VOCAB = 32, 4096, 14336, 32, 8, 32000
HEAD = EMBD // HEADS

# (block size, bytes per block, [(byte offset, fp16 value)] fixed scale fields)
TYPES = {
    "Q4_0": (gguf.GGMLQuantizationType.Q4_0, 32, 18, [(0, 0.003)]),
    "Q4_K": (gguf.GGMLQuantizationType.Q4_K, 256, 144, [(0, 0.00004), (2, 0.00002)]),
}


def tensors():
    """(name, rows, columns, quantized?) in file order."""
    yield "token_embd.weight", VOCAB, EMBD, True
    for i in range(LAYERS):
        p = f"blk.{i}."
        yield p + "attn_norm.weight", 1, EMBD, False
        yield p + "attn_q.weight", HEADS * HEAD, EMBD, True
        yield p + "attn_k.weight", KV_HEADS * HEAD, EMBD, True
        yield p + "attn_v.weight", KV_HEADS * HEAD, EMBD, True
        yield p + "attn_output.weight", EMBD, HEADS * HEAD, True
        yield p + "ffn_norm.weight", 1, EMBD, False
        yield p + "ffn_gate.weight", FFN, EMBD, True
        yield p + "ffn_up.weight", FFN, EMBD, True
        yield p + "ffn_down.weight", EMBD, FFN, True
    yield "output_norm.weight", 1, EMBD, False
    yield "output.weight", VOCAB, EMBD, True


def random_blocks(rng, rows, columns, kind):
    qtype, block, nbytes, scales = TYPES[kind]
    data = np.frombuffer(rng.bytes(rows * columns // block * nbytes), dtype=np.uint8).reshape(-1, nbytes).copy()
    for offset, value in scales:
        data[:, offset:offset + 2] = np.frombuffer(np.float16(value).tobytes(), dtype=np.uint8)
    return data.reshape(rows, columns // block * nbytes)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--type", choices=sorted(TYPES), required=True)
    ap.add_argument("--out", default="models/random")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    qtype = TYPES[args.type][0]
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"mistral-7b-shape-random.{args.type}.gguf"

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("Mistral-7B-shaped random weights (benchmark only)")
    w.add_context_length(4096)
    w.add_embedding_length(EMBD)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_dimension_count(HEAD)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(VOCAB)
    w.add_file_type({"Q4_0": 2, "Q4_K": 15}[args.type])
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    tokens += [f"\u2581t{i}" for i in range(VOCAB - len(tokens))]
    types = [2, 3, 3] + [6] * 256 + [1] * (VOCAB - 259)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores([0.0] * VOCAB)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)

    block, nbytes = TYPES[args.type][1], TYPES[args.type][2]
    for name, rows, columns, quantized in tensors():
        if quantized:
            w.add_tensor_info(name, (rows, columns // block * nbytes), np.dtype(np.uint8), rows * columns // block * nbytes,
                              raw_dtype=qtype)
        else:
            w.add_tensor_info(name, (columns,), np.dtype(np.float32), columns * 4)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    rng = np.random.default_rng(args.seed)
    for name, rows, columns, quantized in tensors():
        w.write_tensor_data(random_blocks(rng, rows, columns, args.type) if quantized else np.ones(columns, np.float32))
    w.close()
    print(path)


if __name__ == "__main__":
    main()
