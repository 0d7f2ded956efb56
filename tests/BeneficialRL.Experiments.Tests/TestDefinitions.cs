using BeneficialRL.Experiments.Specs;

namespace BeneficialRL.Experiments.Tests;

/// <summary>Sizes for tests: a sub-quick definition (micro model, a few steps) that exercises every stage in seconds.</summary>
internal static class TestDefinitions
{
    public static ExperimentDefinition SubQuick(string name = "sub-quick") => ExperimentPresets.Get("quick") with
    {
        Name = name,
        StartingModel = new StartingModelSpec
        {
            Preset = "micro",
            BaseSft = new BaseSftSpec { Steps = 6, BatchSize = 4, LearningRate = 3e-3, ScenariosPerCell = 1, StandardTasksPerFamily = 8, FailuresPerScenario = 1 },
        },
        Arms =
        [
            ExperimentPresets.Baseline() with { Slices = [new SliceSpec { Name = "standard", Source = SliceSource.StandardTasks, Share = 1, Grader = GraderKind.StandardTask, TasksPerFamily = 10 }] },
            ExperimentPresets.Treatment("treatment", ["health"], share: 0.25) with
            {
                Slices =
                [
                    new SliceSpec { Name = "traits", Source = SliceSource.Scenarios, Domains = ["health"], Share = 0.25, Grader = GraderKind.BuiltInJudge, ScenariosPerCell = 1 },
                    new SliceSpec { Name = "standard", Source = SliceSource.StandardTasks, Share = 0.75, Grader = GraderKind.StandardTask, TasksPerFamily = 10 },
                ],
            },
        ],
        Budget = new RlBudget { Steps = 4, PromptsPerStep = 4, GroupSize = 2, MaxNewTokens = 8, LearningRate = 1e-3, Beta = 0.02, Epsilon = 0.2, CheckpointEvery = 2 },
        Evaluation = ExperimentPresets.Get("quick").Evaluation with { MaxItemsPerBenchmark = 2, MaxNewTokens = 8, CheckpointItemsPerTrait = 2 },
        Analysis = new AnalysisSpec { BootstrapResamples = 200 },
    };
}
