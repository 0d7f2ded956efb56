namespace BeneficialRL.Grains.Workers;

/// <summary>
/// The reminders that bring unfinished work back after its silo was lost (a work item's "resume", an experiment's
/// "reconcile"). Unfinished work must never be without one: a job left queued by a transient failure, on a grain
/// whose reminder was never registered, waits for ever (chaos trial 20 of <c>docs/reliability.md</c>).
/// </summary>
public static class RecoveryReminders
{
    /// <summary>
    /// Registers <paramref name="name"/> unless it exists. Grains call it before the first write of unfinished state,
    /// so a silo lost between the write and the registration cannot leave that state without a reminder (a reminder
    /// that finds no state removes itself), and on every activation of unfinished state, which also covers state
    /// written before this rule. A failure here fails the activation or the call: better than unguarded work.
    /// </summary>
    public static async Task EnsureAsync(Grain grain, string name, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(grain);
        if (await grain.GetReminder(name) is null) await grain.RegisterOrUpdateReminder(name, period, period);
    }

    /// <summary>Removes <paramref name="name"/> if it exists: the work is finished, or was never created.</summary>
    public static async Task RemoveAsync(Grain grain, string name)
    {
        ArgumentNullException.ThrowIfNull(grain);
        if (await grain.GetReminder(name) is { } reminder) await grain.UnregisterReminder(reminder);
    }
}
