#!/usr/bin/env python3
"""Reference figures for the engine, from llama.cpp (llama-cpp-python 0.3.36), written once as fixtures.

Run from the repository root with the reference venv (never needed by the tests):

    PY=$(bash scripts/reference/setup.sh)   # the reference venv's python
    $PY scripts/reference/model_reference.py --model models/SmolLM2-135M-Instruct.Q4_1.gguf
    $PY scripts/reference/model_reference.py --model models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
        --out-dir Tests/LocalInferenceTests/Fixtures/reference/qwen2.5-coder-1.5b \
        --text Tests/LocalInferenceTests/Fixtures/reference/perplexity-long.txt \
        --system "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
    # Qwen's greedy replies alone (perplexity.json kept), 12 tokens at most, from every 5th candidate (every
    # kind of prompt; the first 20 candidates are all capitals), 16 prompts spread over those that qualify;
    # greedy.json is rewritten after every prompt kept, so the search can be stopped once it holds enough:
    $PY scripts/reference/model_reference.py --model models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
        --out-dir Tests/LocalInferenceTests/Fixtures/reference/qwen2.5-coder-1.5b --greedy-only --max-tokens 12 \
        --system "You are Qwen, created by Alibaba Cloud. You are a helpful assistant." --stride 5 --spread
    $PY scripts/reference/model_reference.py --model models/gemma-3-270m-q4_k_m.gguf \
        --out-dir Tests/LocalInferenceTests/Fixtures/reference/gemma-3-270m \
        --text Tests/LocalInferenceTests/Fixtures/reference/perplexity-long.txt --prompts continuation --max-tokens 8

Writes into --out-dir (default Tests/LocalInferenceTests/Fixtures/reference/):

perplexity.json  llama-perplexity's method on perplexity.txt: the text tokenized as the model's metadata says
                 (BOS only when add_bos_token), non-overlapping windows of --context tokens, each from a fresh
                 context with its first token replaced by BOS when the vocabulary adds BOS, the negative
                 log-likelihood of positions n_ctx/2+1 ... n_ctx-1 of each window; perplexity = exp(mean NLL).
                 Also, teacher-forced over the same windows plus the shorter tail window, the argmax token and
                 the top-1/top-2 logit margin at every position.
greedy.json      greedy completions (argmax, no penalty, up to --max-tokens tokens, stopping at an
                 end-of-generation token) of chat prompts rendered with the model's ChatML template and its
                 default system message (--system), or with --prompts continuation of plain text after BOS
                 (a base model), kept only when the top-1/top-2 logit margin stays above --margin at every
                 step, the final end-of-generation step included: near-ties legitimately flip between correct
                 implementations.
"""
import argparse
import json
import math
import pathlib
import sys

import numpy as np
import llama_cpp
from llama_cpp import Llama

FIXTURES = pathlib.Path("Tests/LocalInferenceTests/Fixtures/reference")
SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"


# MARK: - Model access

class Model:
    """logits_all=True is needed, not only for the teacher-forced margins: with logits_all=False,
    llama-cpp-python 0.3.x's eval() stores no logits at all, and `scores` (read by last_logits) stays stale."""

    def __init__(self, path, n_ctx):
        self.llm = Llama(model_path=path, n_ctx=n_ctx, n_batch=n_ctx, n_ubatch=n_ctx, logits_all=True,
                         n_threads=2, n_threads_batch=2, seed=0, verbose=False)
        self.vocab = llama_cpp.llama_model_get_vocab(self.llm.model)
        self.n_vocab = self.llm.n_vocab()
        self.add_bos = bool(llama_cpp.llama_vocab_get_add_bos(self.vocab))
        self.bos = llama_cpp.llama_vocab_bos(self.vocab)

    def is_eog(self, token):
        return bool(llama_cpp.llama_vocab_is_eog(self.vocab, token))

    def evaluate(self, tokens):
        """Fresh context, all logits: (len(tokens), n_vocab) float32."""
        self.llm.reset()
        self.llm.eval(tokens)
        return np.array(self.llm.scores[: len(tokens)], dtype=np.float32)

    def last_logits(self):
        return np.array(self.llm.scores[self.llm.n_tokens - 1], dtype=np.float32)


def top2(logits):
    """The argmax (the lowest index among equals) and its margin over the runner-up, without a full sort."""
    best = int(np.argmax(logits))
    second = max(float(logits[:best].max(initial=-np.inf)), float(logits[best + 1:].max(initial=-np.inf)))
    return best, float(logits[best]) - second


def nll(logits, token):
    """llama-perplexity's log_softmax: max + log(sum exp(l - max)) - l[token], sum in double."""
    m = float(logits.max())
    s = float(np.exp(logits - np.float32(m), dtype=np.float32).astype(np.float64).sum())
    return m + math.log(s) - float(logits[token])


# MARK: - Perplexity and teacher-forced argmax

def perplexity_reference(model, text, n_ctx):
    tokens = model.llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
    if len(tokens) < 2 * n_ctx:
        sys.exit(f"the text has {len(tokens)} tokens; llama-perplexity needs at least {2 * n_ctx}")
    n_chunk = len(tokens) // n_ctx
    first = n_ctx // 2
    total, count = 0.0, 0
    argmax, margin, windows = [], [], []
    start = 0
    while start < len(tokens):
        window = list(tokens[start: start + n_ctx])
        if model.add_bos:
            window[0] = model.bos
        logits = model.evaluate(window)
        if len(window) == n_ctx and start // n_ctx < n_chunk:
            for j in range(first, n_ctx - 1):
                total += nll(logits[j], tokens[start + j + 1])
                count += 1
        for j in range(len(window)):
            best, gap = top2(logits[j])
            argmax.append(best)
            margin.append(round(gap, 4))
        windows.append([start, len(window)])
        print(f"window {len(windows)}: tokens {start}..<{start + len(window)}, ppl so far "
              f"{math.exp(total / max(count, 1)):.4f}", file=sys.stderr)
        start += n_ctx
    return {
        "context": n_ctx,
        "tokens": len(tokens),
        "add_bos": model.add_bos,
        "chunks": n_chunk,
        "scored_tokens": count,
        "perplexity": math.exp(total / count),
        "token_ids": tokens,
        "windows": windows,
        "argmax": argmax,
        "margin": margin,
    }


# MARK: - Greedy completions

def chatml(user, system=SYSTEM):
    return (f"<|im_start|>system\n{system}<|im_end|>\n"
            f"<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n")


def continuations():
    """Openings of plain text whose continuation a base model should be sure of."""
    countries = ["France", "Japan", "Italy", "Germany", "Spain", "Canada", "Egypt", "Russia", "China", "Greece",
                 "Norway", "Sweden", "Poland", "Portugal", "Ireland", "Austria", "Hungary", "Finland", "Turkey", "Peru"]
    out = [f"The capital of {c} is" for c in countries]
    out += [
        "1, 2, 3, 4, 5, 6,", "Monday, Tuesday, Wednesday,", "January, February, March,", "A, B, C, D, E,",
        "The quick brown fox jumps over the", "To be or not to be, that is the", "Once upon a time, there was a",
        "The sun rises in the east and sets in the", "Water boils at 100 degrees", "def fibonacci(n):\n",
        "import numpy as", "#include <stdio.h>\n\nint main(", "for (int i = 0; i <", "SELECT * FROM users WHERE",
        "The first president of the United States was", "The chemical symbol for gold is",
        "Two plus two equals", "The largest planet in our solar system is", "Shakespeare wrote Romeo and",
        "The Eiffel Tower is located in", "An apple a day keeps the", "Twinkle, twinkle, little",
        "Mary had a little", "The speed of light is approximately", "In 1492, Columbus sailed the ocean",
        "Red, orange, yellow, green,", "one, two, three, four, five,", "10, 20, 30, 40,", "Knock knock. Who's",
        "The Great Wall of", "Albert Einstein developed the theory of", "The human heart has four",
        "Photosynthesis is the process by which plants", "<html>\n<head>\n<title>", "Hello, my name is",
    ]
    # Sequences a small base model continues with confidence.
    out += [", ".join(str(n) for n in range(start, start + 5 * step, step)) + "," for start, step in
            [(1, 1), (11, 1), (21, 1), (2, 2), (5, 5), (10, 10), (100, 100), (3, 3), (7, 1), (50, 1), (1, 2), (0, 1)]]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out += [", ".join(letters[start:start + 5]) + "," for start in (0, 5, 10, 15)]
    out += [", ".join(letters[start:start + 5].lower()) + "," for start in (0, 5, 10)]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    out += [", ".join(days[start:start + 3]) + "," for start in (1, 2, 3)]
    out += [", ".join(months[start:start + 3]) + "," for start in (2, 4, 6, 8)]
    out += ["one, two, three, four, five, six, seven,", "first, second, third, fourth,",
            "Sunday, Monday, Tuesday, Wednesday, Thursday,", "North, East, South,", "do, re, mi, fa,",
            "Alpha, Bravo, Charlie, Delta,", "Mercury, Venus, Earth, Mars,", "I, II, III, IV, V,"]
    return list(dict.fromkeys(out))


def greedy(model, prompt_tokens, max_tokens, min_margin):
    """Greedy tokens while every step's margin exceeds min_margin; None as soon as one does not.

    The KV cache of the longest common prefix with the previous prompt (the system message) is kept, as
    llama.cpp's server does; only the rest of the prompt is evaluated."""
    llm = model.llm
    common = 0
    limit = min(llm.n_tokens, len(prompt_tokens) - 1)
    while common < limit and llm.input_ids[common] == prompt_tokens[common]:
        common += 1
    llm.n_tokens = common
    llm.eval(prompt_tokens[common:])
    completion, smallest = [], math.inf
    for _ in range(max_tokens):
        best, gap = top2(model.last_logits())
        smallest = min(smallest, gap)
        if gap <= min_margin:
            return None
        if model.is_eog(best):
            return completion, "stop", smallest
        completion.append(best)
        llm.eval([best])
    return completion, "length", smallest


def prompts():
    countries = ["France", "Japan", "Italy", "Germany", "Spain", "Canada", "Egypt", "Brazil", "Kenya", "Norway",
                 "Peru", "India", "Greece", "Mexico", "Australia", "Portugal", "Sweden", "Chile", "Turkey", "Poland"]
    words = ["happy", "big", "fast", "cold", "bright", "quiet", "strong", "early", "rich", "soft",
             "young", "hard", "dark", "empty", "heavy"]
    animals = ["dog", "spider", "bird", "cat", "horse", "ant", "octopus", "cow", "duck", "snake"]
    things = ["the sky on a clear day", "grass", "snow", "a ripe banana", "coal", "a tomato", "the sun",
              "milk", "an orange", "blood"]
    topics = ["the ocean", "autumn leaves", "a mountain", "the moon", "rain", "a city at night", "friendship",
              "winter", "a cup of tea", "the stars"]
    nouns = ["child", "mouse", "box", "city", "knife", "tooth", "woman", "leaf", "bus", "goose"]
    languages = ["French", "Spanish", "German", "Italian", "Japanese", "Portuguese"]
    out = []
    out += [f"What is the capital of {c}?" for c in countries]
    out += [f"What is the opposite of '{w}'?" for w in words]
    out += [f"Give me a synonym for '{w}'." for w in words]
    out += [f"How many legs does a {a} have?" for a in animals]
    out += [f"What color is {t}?" for t in things]
    out += [f"Write a haiku about {t}." for t in topics]
    out += [f"What is the plural of '{n}'?" for n in nouns]
    out += [f"Say 'good morning' in {l}." for l in languages]
    out += [f"Translate 'thank you' into {l}." for l in languages]
    out += [f"What is {a} plus {b}?" for a, b in [(2, 3), (7, 5), (10, 20), (12, 30), (99, 1), (45, 55),
                                                   (6, 7), (100, 250), (8, 8), (13, 29)]]
    out += [f"What is {a} times {b}?" for a, b in [(2, 3), (4, 5), (6, 7), (9, 9), (10, 10), (12, 12)]]
    out += [f"Is {n} an even number?" for n in [4, 7, 10, 15, 22, 33]]
    out += [f"Name three {c}." for c in ["fruits", "colors", "planets", "musical instruments", "vegetables",
                                          "countries in Europe", "programming languages", "farm animals",
                                          "types of trees", "metals"]]
    out += [f"Tell me a fun fact about {a}s." for a in animals]
    out += [f"Who wrote '{b}'?" for b in ["Romeo and Juliet", "Pride and Prejudice", "Hamlet", "Moby-Dick",
                                           "War and Peace", "The Odyssey", "Don Quixote", "Frankenstein"]]
    out += [f"Explain what {t} is in one sentence." for t in
            ["photosynthesis", "gravity", "a volcano", "democracy", "an atom", "the internet", "a rainbow",
             "electricity", "evaporation", "a computer", "a noun", "a verb", "a prime number", "DNA", "an eclipse"]]
    out += [f"Write a Python function that returns the {t} of a list." for t in
            ["sum", "maximum", "minimum", "length", "average", "reverse"]]
    out += [
        "Hello!", "Hi, how are you?", "What is your name?", "Who created you?", "Good morning!",
        "Can you help me?", "Thank you!", "What can you do?", "Tell me a joke.", "What day comes after Monday?",
        "What month comes after March?", "How many days are in a week?", "How many hours are in a day?",
        "How many minutes are in an hour?", "What is the largest planet in our solar system?",
        "What is the boiling point of water in Celsius?", "What is the freezing point of water?",
        "What is the chemical symbol for gold?", "What is the chemical formula of water?",
        "Which planet is known as the Red Planet?", "What is the tallest mountain in the world?",
        "What is the longest river in the world?", "What language is spoken in Brazil?",
        "What is the square root of 16?", "What is 100 divided by 4?", "Count from 1 to 10.",
        "List the days of the week.", "List the months of the year.", "Spell the word 'cat'.",
        "What is the first letter of the alphabet?", "What is the last letter of the alphabet?",
        "Write one sentence about dogs.", "Describe the color blue.", "Give me a word that rhymes with 'cat'.",
        "What do bees make?", "What do cows drink?", "Where do penguins live?", "What is the speed of light?",
        "Who painted the Mona Lisa?", "Who was the first person to walk on the moon?",
        "What is the main ingredient of guacamole?", "How do you make a cup of tea?",
        "What is a healthy breakfast?", "Why is the sky blue?", "Why do leaves change color in autumn?",
        "What is the difference between weather and climate?", "Summarize the story of Cinderella.",
        "Write a short poem about the sea.", "Give me three tips for studying.", "How can I sleep better?",
        "What is machine learning?", "What is Python?", "What is an API?", "What is a database?",
        "Convert 5 kilometers to meters.", "How many centimeters are in a meter?",
        "What is the capital city of the United States?", "What is the currency of Japan?",
        "What is the smallest prime number?", "Is the Earth flat?", "What shape is the Earth?",
        "What is H2O?", "What gas do plants absorb?", "What gas do humans breathe out?",
        "Recommend a good book.", "Write a greeting for a birthday card.", "What is the opposite of up?",
        "Please answer with yes or no: is fire hot?", "Please answer with yes or no: is ice hot?",
        "Repeat after me: the quick brown fox.", "Write the word 'hello' in capital letters.",
        "What comes next: 2, 4, 6, 8?", "What comes next: A, B, C?", "Finish this sentence: Once upon a time",
    ]
    more_countries = ["Kenya", "Russia", "China", "Argentina", "Ireland", "Finland", "Denmark", "Austria",
                      "Switzerland", "Belgium", "Netherlands", "Hungary", "Nigeria", "Ghana", "Morocco", "Cuba",
                      "Thailand", "Vietnam", "Indonesia", "Iran", "Iraq", "Colombia", "Venezuela", "Ukraine",
                      "South Korea", "New Zealand", "Iceland", "Ethiopia", "Pakistan", "the United Kingdom"]
    out += [f"What is the capital of {c}?" for c in more_countries]
    out += [f"Which country is {c} the capital of?" for c in
            ["Paris", "Tokyo", "Rome", "Berlin", "Madrid", "Ottawa", "Cairo", "Nairobi", "Oslo", "Lima",
             "Athens", "Moscow", "Beijing", "Dublin", "Vienna", "Lisbon", "Stockholm", "Warsaw", "Bangkok", "Havana"]]
    out += [f"What language do people speak in {c}?" for c in countries + more_countries[:10]]
    out += [f"What continent is {c} in?" for c in countries + more_countries]
    out += [f"Answer in one word: what is the capital of {c}?" for c in countries[:15]]
    out += [f"What is the chemical symbol for {e}?" for e in
            ["oxygen", "hydrogen", "carbon", "iron", "silver", "sodium", "helium", "nitrogen", "copper", "lead"]]
    out += [f"How many sides does a {shape} have?" for shape in
            ["triangle", "square", "pentagon", "hexagon", "octagon", "rectangle"]]
    out += [f"What is the largest {thing}?" for thing in
            ["ocean", "desert", "country by area", "animal", "mammal", "bird", "continent", "moon of Saturn"]]
    out += [f"Who discovered {thing}?" for thing in ["penicillin", "gravity", "America", "radium", "electricity"]]
    out += [f"Who invented the {thing}?" for thing in
            ["telephone", "light bulb", "printing press", "airplane", "steam engine", "World Wide Web"]]
    out += [f"In which year did {event}?" for event in
            ["World War II end", "World War I begin", "the Titanic sink", "humans first land on the moon",
             "the Berlin Wall fall"]]
    return list(dict.fromkeys(out))


# MARK: - Main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--context", type=int, default=512)
    parser.add_argument("--max-tokens", type=int, default=48)
    parser.add_argument("--margin", type=float, default=1.0)
    parser.add_argument("--keep", type=int, default=16, help="at most this many qualifying prompts are written")
    parser.add_argument("--spread", action="store_true",
                        help="write --keep prompts spread evenly over all that qualify, not the first ones "
                             "(so that the fixture is not all of one kind of prompt)")
    parser.add_argument("--greedy-only", action="store_true", help="leave perplexity.json as it is")
    parser.add_argument("--start", type=int, default=0, help="first prompt to try (to split the search)")
    parser.add_argument("--count", type=int, default=None, help="how many prompts to try from --start")
    parser.add_argument("--stride", type=int, default=1,
                        help="try every N-th candidate from --start (a sample of every kind of prompt, for a slow model)")
    parser.add_argument("--merge", action="store_true",
                        help="add the qualifying prompts to those already in greedy.json (same settings)")
    parser.add_argument("--out-dir", default=str(FIXTURES), help="where perplexity.json and greedy.json go")
    parser.add_argument("--text", default=str(FIXTURES / "perplexity.txt"), help="the perplexity text")
    parser.add_argument("--prompts", choices=["chat", "continuation"], default="chat",
                        help="chat: ChatML prompts with --system; continuation: plain text after BOS (base models)")
    parser.add_argument("--system", default=SYSTEM, help="the default system message of the model's template")
    args = parser.parse_args()
    out_dir = pathlib.Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    model = Model(args.model, n_ctx=max(args.context, 512))
    source = {"model": pathlib.Path(args.model).name, "reference": f"llama-cpp-python {llama_cpp.__version__}",
              "script": "scripts/reference/model_reference.py"}

    if not args.greedy_only:
        text = pathlib.Path(args.text).read_text(encoding="utf-8")
        ppl = perplexity_reference(model, text, args.context)
        (out_dir / "perplexity.json").write_text(json.dumps({**source, "text": pathlib.Path(args.text).name, **ppl}) + "\n")
        print(f"perplexity {ppl['perplexity']:.6f} over {ppl['tokens']} tokens ({ppl['chunks']} chunks, "
              f"{ppl['scored_tokens']} scored)", file=sys.stderr)
    model.llm.reset()

    previous = {"prompts": [], "tried": 0}
    if args.merge and (out_dir / "greedy.json").exists():
        previous = json.loads((out_dir / "greedy.json").read_text(encoding="utf-8"))
        if (previous["max_tokens"], previous["min_margin"]) != (args.max_tokens, args.margin):
            sys.exit("greedy.json was made with other settings: run without --merge")

    def write_greedy(kept, tried):
        """greedy.json as it stands (written after every kept prompt: a search stopped early keeps its
        findings, and `tried` counts the prompts tried up to the last one kept)."""
        known = {item["prompt"] for item in previous["prompts"]}
        qualified = previous["prompts"] + [item for item in kept if item["prompt"] not in known]
        if args.spread and len(qualified) > args.keep:
            chosen = [qualified[i * len(qualified) // args.keep] for i in range(args.keep)]
        else:
            chosen = qualified[: args.keep]
        (out_dir / "greedy.json").write_text(json.dumps({
            **source, "system": args.system if args.prompts == "chat" else None, "max_tokens": args.max_tokens,
            "min_margin": args.margin, "tried": tried + previous["tried"], "qualified": len(qualified),
            "prompts": chosen}, ensure_ascii=False, indent=1) + "\n")

    kept, tried = [], 0
    candidates = (prompts() if args.prompts == "chat" else continuations())[args.start::args.stride]
    if args.count is not None:
        candidates = candidates[: args.count]
    for user in candidates:
        tried += 1
        if tried % 25 == 0:
            print(f"tried {tried} of {len(candidates)}, kept {len(kept)}", file=sys.stderr)
        text = chatml(user, args.system) if args.prompts == "chat" else user
        prompt_tokens = model.llm.tokenize(text.encode("utf-8"), add_bos=True, special=args.prompts == "chat")
        result = greedy(model, prompt_tokens, args.max_tokens, args.margin)
        if result is None:
            continue
        completion, finish, smallest = result
        kept.append({
            "prompt": user,
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion,
            "completion": model.llm.detokenize(completion).decode("utf-8", errors="replace"),
            "finish_reason": finish,
            "min_margin": round(smallest, 4),
        })
        print(f"kept {len(kept)} of {tried}: {user!r} → {kept[-1]['completion']!r}", file=sys.stderr)
        write_greedy(kept, tried)
    print(f"{len(kept)} of {tried} prompts keep a margin above {args.margin}", file=sys.stderr)
    write_greedy(kept, tried)

if __name__ == "__main__":
    main()
