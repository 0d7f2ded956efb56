using BeneficialRL.Learning.Chat;
using BeneficialRL.Learning.Scoring;
using BeneficialRL.Learning.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace BeneficialRL.Learning.Tests.Scoring;

public sealed class LogLikelihoodScorerTests
{
    [Fact]
    public void ScoreBatch_MatchesLogSoftmaxOfSingleForwardPasses()
    {
        using var model = TestWorld.NewModel();
        var scorer = new LogLikelihoodScorer(model, TestWorld.Tokenizer, maxBatchSize: 2);
        ScoringRequest[] requests =
        [
            new([1, 2, 3], [4, 5]),
            new([7], [8, 9, 10, 11]),
            new([3, 3, 3, 3, 3], [2]),
        ];
        var scores = scorer.ScoreBatch(requests);
        for (var i = 0; i < requests.Length; i++)
        {
            var tokens = requests[i].ContextIds.Concat(requests[i].CandidateIds).Select(t => (long)t).ToArray();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logProbs = model.forward(tensor(tokens, [1, tokens.Length])).log_softmax(-1);
            double expected = 0;
            for (var j = requests[i].ContextIds.Count; j < tokens.Length; j++)
            {
                expected += logProbs[0, j - 1, tokens[j]].item<float>();
            }

            Assert.Equal(expected, scores[i].SumLogProb, 1e-4);
            Assert.Equal(requests[i].CandidateIds.Count, scores[i].TokenCount);
            Assert.Equal(expected / requests[i].CandidateIds.Count, scores[i].MeanLogProb, 1e-4);
        }
    }

    [Fact]
    public void ScoreBatch_SharedContexts_EqualPlainPath()
    {
        using var model = TestWorld.NewModel(seed: 3);
        var plain = new LogLikelihoodScorer(model, TestWorld.Tokenizer, maxBatchSize: 2, shareContexts: false);
        var shared = new LogLikelihoodScorer(model, TestWorld.Tokenizer, maxBatchSize: 2, shareContexts: true);
        var random = new Random(5);
        int[] Tokens(int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(model.Config.VocabSize))];
        var requests = new List<ScoringRequest>();
        for (var item = 0; item < 7; item++)
        {
            // Several options per context, of different lengths (single-token ones included); contexts of different lengths.
            var context = Tokens(3 + (item * 5));
            requests.AddRange(Enumerable.Range(0, 2 + (item % 3)).Select(o => new ScoringRequest(context, Tokens(1 + ((item + o) % 6)))));
        }

        // Equal contexts given as separate lists still share; an over-long context is cut the same way on both paths.
        requests.Add(new ScoringRequest([.. requests[0].ContextIds], Tokens(4)));
        requests.Add(new ScoringRequest(Tokens(model.Config.MaxSequenceLength), Tokens(5)));
        requests.Add(new ScoringRequest(Tokens(2), []));

        var expected = plain.ScoreBatch(requests);
        var actual = shared.ScoreBatch(requests);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(expected[i].TokenCount, actual[i].TokenCount);
            Assert.Equal(expected[i].SumLogProb, actual[i].SumLogProb, 1e-3);
        }
    }

    [Fact]
    public void Score_AfterTrainingOnAnAnswer_PrefersThatAnswer()
    {
        using var model = TestWorld.NewModel(seed: 12);
        using (var trainer = new SftTrainer(model, TestWorld.Tokenizer, new SftOptions { BatchSize = 2, LearningRate = 3e-3, WarmupSteps = 2, TotalSteps = 40 }))
        {
            trainer.Train([SftExample.FromUser("What is two plus two?", "Four.")], 40);
        }

        var scorer = new LogLikelihoodScorer(model, TestWorld.Tokenizer);
        var scores = scorer.Score([ChatTurn.User("What is two plus two?")], ["Three.", "Four.", "I pick plum."]);
        Assert.Equal(1, Array.IndexOf([.. scores.Select(s => s.SumLogProb)], scores.Max(s => s.SumLogProb)));
        Assert.Equal(1, Array.IndexOf([.. scores.Select(s => s.MeanLogProb)], scores.Max(s => s.MeanLogProb)));
    }
}
