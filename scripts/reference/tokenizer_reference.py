#!/usr/bin/env python3
"""Tokenizes the committed corpus with llama.cpp and writes the expected ids as a test fixture.

Reference for judge's tokenizers (Sources/LocalInference/Tokenizer): llama-cpp-python's
`Llama(model_path, vocab_only=True).tokenize(text.encode(), add_bos=True, special=...)`, i.e. llama.cpp's
`llama_tokenize` with add_special=true (BOS only if the model's metadata says so) and special tokens
parsed (special=True) or left as text (special=False).

With --chat-out it also renders a few conversations with the model's own chat template
(tokenizer.chat_template executed by jinja2 with trim_blocks/lstrip_blocks, as llama-cpp-python's
Jinja2ChatFormatter does) and records the prompt text and its ids, for judge's ChatTemplate.

Run once (tests only read the fixtures):
    /work/refvenv/bin/python scripts/reference/tokenizer_reference.py \
        --model models/SmolLM2-135M-Instruct.Q4_1.gguf \
        --corpus Tests/LocalInferenceTests/Fixtures/tokenizer/corpus.json \
        --out Tests/LocalInferenceTests/Fixtures/tokenizer/smollm2_reference.json \
        --chat-out Tests/LocalInferenceTests/Fixtures/tokenizer/smollm2_chat_reference.json
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


if __name__ == "__main__":
    main()
