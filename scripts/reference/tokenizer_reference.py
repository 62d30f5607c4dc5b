#!/usr/bin/env python3
"""Tokenizes the committed corpus with llama.cpp and writes the expected ids as a test fixture.

Reference for judge's tokenizers (Sources/LocalInference/Tokenizer): llama-cpp-python's
`Llama(model_path, vocab_only=True).tokenize(text.encode(), add_bos=True, special=...)`, i.e. llama.cpp's
`llama_tokenize` with add_special=true (BOS only if the model's metadata says so) and special tokens
parsed (special=True) or left as text (special=False).

With --chat-out it also renders a few conversations with the model's own chat template
(tokenizer.chat_template executed by jinja2 with trim_blocks/lstrip_blocks, as llama-cpp-python's
Jinja2ChatFormatter does) and records the prompt text and its ids, for judge's ChatTemplate.

With --variants-out it also checks the tokenizer kinds SmolLM2 does not use: it writes temporary
vocabulary-only GGUF files with SmolLM2's vocabulary under other split rules (tokenizer.ggml.pre =
default, gpt-2, llama-bpe, qwen2) and as a SentencePiece (`llama`) vocabulary derived from it
(see spm_vocabulary), and records llama.cpp's ids for the whole corpus under each.

Run once (tests only read the fixtures):
    PY=$(bash scripts/reference/setup.sh)   # the reference venv's python
    $PY scripts/reference/tokenizer_reference.py \
        --model models/SmolLM2-135M-Instruct.Q4_1.gguf \
        --corpus Tests/LocalInferenceTests/Fixtures/tokenizer/corpus.json \
        --out Tests/LocalInferenceTests/Fixtures/tokenizer/smollm2_reference.json \
        --chat-out Tests/LocalInferenceTests/Fixtures/tokenizer/smollm2_chat_reference.json \
        --variants-out Tests/LocalInferenceTests/Fixtures/tokenizer/variants_reference.json

The other families (models from scripts/bootstrap.sh --test), with the reference venv PY=$(bash scripts/reference/setup.sh):
    $PY scripts/reference/tokenizer_reference.py --model models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
        --corpus Tests/LocalInferenceTests/Fixtures/tokenizer/corpus.json \
        --out Tests/LocalInferenceTests/Fixtures/tokenizer/qwen2.5-coder_reference.json \
        --chat-out Tests/LocalInferenceTests/Fixtures/tokenizer/qwen2.5-coder_chat_reference.json
    $PY scripts/reference/tokenizer_reference.py --model models/gemma-3-270m-q4_k_m.gguf \
        --corpus Tests/LocalInferenceTests/Fixtures/tokenizer/corpus.json \
        --out Tests/LocalInferenceTests/Fixtures/tokenizer/gemma-3_reference.json
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
    parser.add_argument("--chat-out", help="chat-template fixture to write")
    parser.add_argument("--variants-out", help="other-tokenizer-kinds fixture to write")
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
    if args.chat_out:
        write_chat_fixture(llm, args.model, args.chat_out)
    if args.variants_out:
        write_variants_fixture(args.model, corpus, args.variants_out)


CONVERSATIONS = [
    [{"role": "user", "content": "What is 2+2?"}],
    [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Name a colour."}],
    [{"role": "user", "content": "Hi!"}, {"role": "assistant", "content": "Hello! How can I help?"},
     {"role": "user", "content": "Tell me a joke about <|im_end|> tokens."}],
    [{"role": "system", "content": "Answer in French.\nBe polite."}, {"role": "user", "content": "  spaces  "},
     {"role": "assistant", "content": "Bonjour"}, {"role": "user", "content": "café ☕ 123"}],
]


def write_chat_fixture(llm, model_path, out_path):
    import jinja2
    import gguf

    reader = gguf.GGUFReader(model_path)
    field = reader.fields["tokenizer.chat_template"]
    template_text = bytes(field.parts[field.data[0]]).decode("utf-8")
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)

    def raise_exception(message):
        raise jinja2.TemplateError(message)

    template = env.from_string(template_text)
    cases = []
    for messages in CONVERSATIONS:
        for add_generation_prompt in (True, False):
            prompt = template.render(messages=messages, add_generation_prompt=add_generation_prompt,
                                     bos_token="", eos_token="", raise_exception=raise_exception)
            ids = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
            cases.append({"messages": messages, "add_generation_prompt": add_generation_prompt,
                          "prompt": prompt, "ids": ids})
    fixture = {
        "source": "scripts/reference/tokenizer_reference.py --chat-out",
        "reference": f"jinja2 {jinja2.__version__} rendering tokenizer.chat_template; ids from llama-cpp-python {llama_cpp.__version__}",
        "model": os.path.basename(model_path),
        "chat_template": template_text,
        "cases": cases,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=True, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} chat cases to {out_path}")



# MARK: - Other tokenizer kinds on SmolLM2's vocabulary

PRE_VARIANTS = ["default", "gpt-2", "llama-bpe", "qwen2"]


def gpt2_byte_decoder():
    """GPT-2's bytes_to_unicode, inverted: stand-in character -> byte."""
    printable = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars = {}
    n = 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + n)
            n += 1
    return {c: b for b, c in chars.items()}


def spm_vocabulary(tokens, types):
    """A SentencePiece vocabulary made from a byte-level one (judge's tests build the same one):
    <unk> <s> </s>, the 256 <0xNN> byte tokens, then every normal token whose bytes are valid UTF-8,
    spaces written as U+2581, first occurrence kept, score = -(original id)."""
    decoder = gpt2_byte_decoder()
    out_tokens = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]
    out_types = [2, 3, 3] + [6] * 256
    out_scores = [0.0] * len(out_tokens)
    seen = set(t.encode("utf-8") for t in out_tokens)
    for i, (text, kind) in enumerate(zip(tokens, types)):
        if kind != 1:
            continue
        try:
            piece = bytes(decoder[c] for c in text).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        piece = piece.replace(" ", "\u2581")
        key = piece.encode("utf-8")
        if not piece or key in seen:
            continue
        seen.add(key)
        out_tokens.append(piece)
        out_types.append(1)
        out_scores.append(-float(i))
    return out_tokens, out_types, out_scores


def field_value(field):
    import gguf
    if field.types[0] == gguf.GGUFValueType.ARRAY:
        if field.types[-1] == gguf.GGUFValueType.STRING:
            return [bytes(field.parts[i]).decode("utf-8") for i in field.data]
        return [field.parts[i].tolist()[0] for i in field.data]
    if field.types[0] == gguf.GGUFValueType.STRING:
        return bytes(field.parts[field.data[0]]).decode("utf-8")
    return field.parts[field.data[0]].tolist()[0]


def write_vocab_gguf(path, source, overrides, drop=()):
    """A tensor-less GGUF with source's metadata (llama.cpp loads it with vocab_only=True)."""
    import gguf
    writer = gguf.GGUFWriter(path, "llama")
    keys = [k for k in source.fields if not k.startswith("GGUF.") and k != "general.architecture"]
    for key in keys + [k for k in overrides if k not in source.fields]:
        if key in drop:
            continue
        if key in overrides:
            value, vtype, sub = overrides[key]
        else:
            field = source.fields[key]
            value, vtype = field_value(field), field.types[0]
            sub = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(key, value, vtype, sub_type=sub)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def write_variants_fixture(model_path, corpus, out_path):
    import tempfile
    import gguf

    T = gguf.GGUFValueType
    source = gguf.GGUFReader(model_path)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pre in PRE_VARIANTS:
            path = os.path.join(tmp, f"pre-{pre}.gguf")
            write_vocab_gguf(path, source, {"tokenizer.ggml.pre": (pre, T.STRING, None)})
            llm = llama_cpp.Llama(model_path=path, vocab_only=True, verbose=False)
            results[f"pre:{pre}"] = [llm.tokenize(t.encode("utf-8"), add_bos=True, special=True) for t in corpus]
            del llm

        tokens, types, scores = spm_vocabulary(field_value(source.fields["tokenizer.ggml.tokens"]),
                                               field_value(source.fields["tokenizer.ggml.token_type"]))
        path = os.path.join(tmp, "spm.gguf")
        write_vocab_gguf(path, source, {
            "tokenizer.ggml.model": ("llama", T.STRING, None),
            "tokenizer.ggml.tokens": (tokens, T.ARRAY, T.STRING),
            "tokenizer.ggml.token_type": (types, T.ARRAY, T.INT32),
            "tokenizer.ggml.scores": (scores, T.ARRAY, T.FLOAT32),
            "tokenizer.ggml.bos_token_id": (1, T.UINT32, None),
            "tokenizer.ggml.eos_token_id": (2, T.UINT32, None),
            "tokenizer.ggml.unknown_token_id": (0, T.UINT32, None),
        }, drop={"tokenizer.ggml.merges", "tokenizer.ggml.pre", "tokenizer.ggml.add_bos_token",
                 "tokenizer.ggml.add_space_prefix", "tokenizer.ggml.padding_token_id", "tokenizer.chat_template"})
        llm = llama_cpp.Llama(model_path=path, vocab_only=True, verbose=False)
        results["spm"] = [llm.tokenize(t.encode("utf-8"), add_bos=True, special=True) for t in corpus]
        results["spm_vocabulary_size"] = llm.n_vocab()
        del llm

    fixture = {
        "source": "scripts/reference/tokenizer_reference.py --variants-out",
        "reference": f"llama-cpp-python {llama_cpp.__version__}: tokenize(text, add_bos=True, special=True) on "
                     "SmolLM2's vocabulary with other tokenizer.ggml.pre values, and as a SentencePiece vocabulary",
        "model": os.path.basename(model_path),
        "corpus": "corpus.json (ids[i] belong to corpus[i])",
    }
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(json.dumps(fixture, ensure_ascii=True)[:-1])
        for key, value in results.items():
            if isinstance(value, list):
                f.write(f',\n"{key}": [\n' + ",\n".join(json.dumps(ids) for ids in value) + "\n]")
            else:
                f.write(f',\n"{key}": {json.dumps(value)}')
        f.write("\n}\n")
    print(f"wrote {len(results)} variants to {out_path}")


if __name__ == "__main__":
    main()
