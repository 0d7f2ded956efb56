using System.ComponentModel.DataAnnotations;

namespace BeneficialRL.Grains.Hosting;

/// <summary>How often long-running work checks it is still alive (bound from configuration section <c>Recovery</c>).</summary>
public sealed class RecoveryOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Recovery";

    /// <summary>
    /// Period of the reminders that re-queue benchmark runs and experiment jobs after their silo was lost,
    /// and that reconcile experiments with their jobs. Orleans' default minimum is one minute; tests lower it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
