// RBAC-only Key Vault holding the silos' secret: the bootstrap admin key (Auth__BootstrapAdminKey of the API silo).
// The container apps read it as a Key Vault reference with the managed identity (Key Vault Secrets User); the
// deploying principal may read and set it (Secrets Officer).
param name string
param location string
param tags object
@description('Principal id of the silos\' managed identity.')
param readerPrincipalId string
@description('Object id of the deploying user or service principal; empty = none.')
param officerPrincipalId string
@secure()
param bootstrapAdminKey string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    // Soft delete without purge protection: `azd down --purge` frees the name, so the same azd environment can be
    // provisioned again (the vault name derives from it).
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource adminKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bootstrap-admin-key'
  properties: {
    value: bootstrapAdminKey
    contentType: 'text/plain'
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, secretsUser)
  scope: vault
  properties: {
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(officerPrincipalId)) {
  name: guid(vault.id, officerPrincipalId, secretsOfficer)
  scope: vault
  properties: {
    principalId: officerPrincipalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer)
  }
}

output name string = vault.name
// Version-less URIs: a container app revision picks up the latest version of each secret.
#disable-next-line outputs-should-not-contain-secrets
output bootstrapAdminKeySecretUri string = '${vault.properties.vaultUri}secrets/${adminKey.name}'
// The role assignment must exist before an app resolves a reference; callers depend on this output.
output readerAssignmentId string = reader.id
