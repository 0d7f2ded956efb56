namespace BeneficialRL.Experiments.Specs;

/// <summary>Which grader rewards a slice.</summary>
public enum GraderKind
{
    /// <summary>The Scenarios built-in judge on each scenario's rubric.</summary>
    BuiltInJudge,

    /// <summary>A generic-helpfulness heuristic that never looks at the rubric (the paper's reward control).</summary>
    GenericHelpfulness,

    /// <summary>The programmatic standard-task grader.</summary>
    StandardTask,

    /// <summary>An LLM judge behind an OpenAI-compatible endpoint (supplied by the host).</summary>
    ModelGrader,

    /// <summary>OpenAI grader JSON in the slice's <c>openaiGrader</c> (string_check, text_similarity or a multi grader of them), on scenarios or standard tasks.</summary>
    OpenAi,
}
