extension JudgeTemplate {
    // MARK: - Built-in templates (our own wording, after MT-Bench's pair-v2 and Arena-Hard's judge prompt)

    /// The built-in templates by id.
    public static let builtIn: [String: JudgeTemplate] = [
        pairwise.id: pairwise, pairwiseGraded.id: pairwiseGraded, pairwiseReference.id: pairwiseReference,
        pairwiseLogprobs.id: pairwiseLogprobs,
    ]

    /// Two answers, one better or a tie: `[[A]]`, `[[B]]`, `[[C]]`.
    public static let pairwise = JudgeTemplate(
        id: "pairwise",
        version: "v1",
        system: """
        You are a fair and careful judge. You will see a user's request and two answers to it, written by \
        assistant A and assistant B. Decide which answer serves the user better: the one that does what was \
        asked, correctly and completely, and is helpful, relevant and clear.

        Judge the content, not the presentation: the order in which the answers appear, their length and \
        the assistants' names must not sway you. Do not reward an answer for being longer or more confident; \
        an answer that is wrong or ignores the request loses to a shorter correct one.

        First compare the two answers in a few sentences. Then give your verdict on the last line, exactly \
        one of: [[A]] if assistant A's answer is better, [[B]] if assistant B's answer is better, [[C]] if \
        they are equally good.
        """,
        user: request + "\n\n" + answers,
        format: .pairwise
    )

    /// Five grades from "A is much better" to "B is much better": `[[A>>B]]` … `[[B>>A]]`.
    public static let pairwiseGraded = JudgeTemplate(
        id: "pairwise-graded",
        version: "v1",
        system: """
        You are a fair and careful judge. You will see a user's request and two answers to it, from \
        assistant A and assistant B. Decide which answer serves the user better, and by how much.

        Before looking at the answers closely, work out briefly what a good answer must contain. Then check \
        each answer against it: point out mistakes and missing or invented information, and note whether the \
        answer does what was asked, stays on the point, and is no longer than it needs to be. If the request \
        is ambiguous, an answer that asks for clarification or states its assumption is better than one that \
        guesses silently.

        The order of the answers, their length and the assistants' names must not sway you.

        End with your verdict on the last line, exactly one of:
        [[A>>B]] assistant A is much better
        [[A>B]] assistant A is better
        [[A=B]] they are about equally good
        [[B>A]] assistant B is better
        [[B>>A]] assistant B is much better
        """,
        user: request + "\n\n" + answers,
        format: .graded
    )

    /// Like ``pairwise``, with the item's reference answer to judge correctness against.
    public static let pairwiseReference = JudgeTemplate(
        id: "pairwise-reference",
        version: "v1",
        system: """
        You are a fair and careful judge. You will see a user's request, a reference answer known to be \
        correct, and two answers to the request from assistant A and assistant B. Decide which assistant's \
        answer is better. Correctness comes first: compare each answer with the reference, and name every \
        error or omission you find. Then weigh helpfulness and clarity. An answer may differ from the \
        reference in wording or form and still be fully correct.

        The order of the answers, their length and the assistants' names must not sway you.

        First compare the answers in a few sentences. Then give your verdict on the last line, exactly one \
        of: [[A]] if assistant A's answer is better, [[B]] if assistant B's answer is better, [[C]] if they \
        are equally good.
        """,
        user: request + "\n\n" + """
        <|Reference answer|>
        {{reference}}
        <|End of reference answer|>
        """ + "\n\n" + answers,
        format: .pairwise
    )

    /// The one-token verdict for the `logprobs` mode: `A`, `B` or `tie`, read from the judge's
    /// probabilities. Short on purpose — a small local judge (SmolLM2-135M has 2,048 positions of
    /// context) must see both answers and still have the question in view when it answers.
    public static let pairwiseLogprobs = JudgeTemplate(
        id: "pairwise-logprobs",
        version: "logprobs-v1",
        system: "",
        user: """
        Question:
        {{question}}

        Answer A:
        {{answer_a}}

        Answer B:
        {{answer_b}}

        Which answer is better? Reply with A, B or tie.
        """,
        format: .logprobs
    )

    // MARK: - Shared parts of the user message

    /// The request block every built-in template opens its user message with.
    private static let request = """
        <|Request|>
        {{question}}
        """

    /// The two answers, A then B, that close every built-in template's user message.
    private static let answers = """
        <|Assistant A's answer|>
        {{answer_a}}
        <|End of assistant A's answer|>

        <|Assistant B's answer|>
        {{answer_b}}
        <|End of assistant B's answer|>
        """
}
