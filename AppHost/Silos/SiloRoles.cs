namespace BeneficialRL.AppHost.Silos;

/// <summary>The role names the silo host understands in <c>Silo__Roles</c>.</summary>
public static class SiloRoles
{
    /// <summary>Serves the REST API, the OpenAPI document and the dashboard.</summary>
    public const string Api = "api";

    /// <summary>Hosts the training and evaluation grains.</summary>
    public const string Trainer = "trainer";
}
