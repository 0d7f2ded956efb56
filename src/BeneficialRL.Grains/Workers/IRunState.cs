using BeneficialRL.Contracts.Work;

namespace BeneficialRL.Grains.Workers;

/// <summary>The persisted state of a <see cref="RunGrain{TInfo, TState}"/>.</summary>
/// <typeparam name="TInfo">The run's record.</typeparam>
public interface IRunState<TInfo>
    where TInfo : class
{
    /// <summary>The run, once created.</summary>
    TInfo? Info { get; set; }

    /// <summary>0 for state stored before <see cref="WorkStatus"/> (its status values differ); <see cref="WorkStatuses.CurrentRunStatusScheme"/> since.</summary>
    int StatusScheme { get; set; }
}
