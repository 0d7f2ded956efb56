namespace BeneficialRL.Contracts.Resources;

/// <summary>The caller's expected revision (an HTTP <c>If-Match</c>) does not match the resource's current one.</summary>
[GenerateSerializer]
public sealed class RevisionMismatchException : Exception
{
    /// <summary>Creates the exception for a resource whose current revision is <paramref name="currentRevision"/>.</summary>
    public RevisionMismatchException(long expectedRevision, long currentRevision)
        : base($"The resource is at revision {currentRevision}, not {expectedRevision}: read it again and retry.")
    {
        ExpectedRevision = expectedRevision;
        CurrentRevision = currentRevision;
    }

    /// <summary>The revision the caller expected.</summary>
    [Id(0)] public long ExpectedRevision { get; private set; }

    /// <summary>The revision the resource is at.</summary>
    [Id(1)] public long CurrentRevision { get; private set; }
}

/// <summary>A command is not allowed in the resource's current state (e.g. cancelling a completed experiment).</summary>
[GenerateSerializer]
public sealed class InvalidResourceStateException(string message) : Exception(message);

/// <summary>The resource does not exist (for this tenant).</summary>
[GenerateSerializer]
public sealed class ResourceNotFoundException(string message) : Exception(message);

/// <summary>The resource already exists and cannot be created again.</summary>
[GenerateSerializer]
public sealed class ResourceAlreadyExistsException(string message) : Exception(message);

/// <summary>
/// Storage or a silo failed beyond its retries while a grain served the call: the call may succeed when tried again.
/// Grains raise it in place of the infrastructure's own exception, which often has no Orleans codec and would
/// reach the caller as an unreadable serialization error instead.
/// </summary>
[GenerateSerializer]
public sealed class TransientInfrastructureException(string message) : Exception(message);
