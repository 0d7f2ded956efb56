namespace BeneficialRL.Experiments.Stages;

/// <summary>The stage names reported in <see cref="StageProgress"/>.</summary>
public static class StageNames
{
    /// <summary>Tokenizer + base SFT.</summary>
    public const string BaseModel = "base-model";

    /// <summary>GRPO runs.</summary>
    public const string Training = "training";

    /// <summary>Benchmark evaluation of final checkpoints.</summary>
    public const string Evaluation = "evaluation";

    /// <summary>Statistics.</summary>
    public const string Analysis = "analysis";

    /// <summary>Adversarial prompting and harmful fine-tuning after training.</summary>
    public const string Persistence = "persistence";

    /// <summary>Report rendering.</summary>
    public const string Report = "report";
}
