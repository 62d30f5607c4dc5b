#!/usr/bin/env python3
"""Tokenizes the committed corpus with llama.cpp and writes the expected ids as a test fixture.

Reference for judge's tokenizers (Sources/LocalInference/Tokenizer): llama-cpp-python's
`Llama(model_path, vocab_only=True).tokenize(text.encode(), add_bos=True, special=...)`, i.e. llama.cpp's
`llama_tokenize` with add_special=true (BOS only if the model's metadata says so) and special tokens
parsed (special=True) or left as text (special=False).

Run once (tests only read the fixture):
    /work/refvenv/bin/python scripts/reference/tokenizer_reference.py \
        --model models/SmolLM2-135M-Instruct.Q4_1.gguf \
        --corpus Tests/LocalInferenceTests/Fixtures/tokenizer/corpus.json \
        --out Tests/LocalInferenceTests/Fixtures/tokenizer/smollm2_reference.json
"""
import argparse
import json
import os

import llama_cpp


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="GGUF model file")
    parser.add_argument("--corpus", required=True, help="JSON array of strings")
    parser.add_argument("--out", required=True, help="fixture to write")
    args = parser.parse_args()

    with open(args.corpus, encoding="utf-8") as f:
        corpus = json.load(f)
    if not isinstance(corpus, list) or not all(isinstance(s, str) for s in corpus):
        raise SystemExit(f"{args.corpus}: expected a JSON array of strings")

    llm = llama_cpp.Llama(model_path=args.model, vocab_only=True, verbose=False)
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    cases = []
    for text in corpus:
        data = text.encode("utf-8")
        ids = llm.tokenize(data, add_bos=True, special=True)
        ids_plain = llm.tokenize(data, add_bos=True, special=False)
        cases.append({"text": text, "ids": ids, "ids_no_special": ids_plain})

    fixture = {
        "source": "scripts/reference/tokenizer_reference.py",
        "reference": f"llama-cpp-python {llama_cpp.__version__}: Llama(vocab_only=True).tokenize(text, add_bos=True, special=True/False)",
        "model": os.path.basename(args.model),
        "vocabulary_size": llm.n_vocab(),
        "end_of_generation": [i for i in range(llm.n_vocab()) if llama_cpp.llama_vocab_is_eog(vocab, i)],
        "cases": cases,
    }
    # One case per line, so that a change in the reference shows as a readable diff.
    head = {k: v for k, v in fixture.items() if k != "cases"}
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(json.dumps(head, ensure_ascii=True)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(case, ensure_ascii=True) for case in cases))
        f.write("\n]}\n")
    print(f"wrote {len(cases)} cases to {args.out}")


if __name__ == "__main__":
    main()
