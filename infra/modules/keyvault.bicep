// RBAC-only Key Vault holding the silos' two secrets: the bootstrap admin key (Auth__BootstrapAdminKey of the API
// silo) and the Redis connection string. The container apps read them as Key Vault references with the managed
// identity (Key Vault Secrets User); the deploying principal may read and set them (Secrets Officer).
param name string
param location string
param tags object
@description('Principal id of the silos\' managed identity.')
param readerPrincipalId string
@description('Object id of the deploying user or service principal; empty = none.')
param officerPrincipalId string
@secure()
param bootstrapAdminKey string
@description('The Azure Managed Redis cluster whose database key goes into the connection string secret.')
param redisName string

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

resource redis 'Microsoft.Cache/redisEnterprise@2025-04-01' existing = {
  name: redisName
}

resource redisDatabase 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' existing = {
  parent: redis
  name: 'default'
}

resource adminKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bootstrap-admin-key'
  properties: {
    value: bootstrapAdminKey
    contentType: 'text/plain'
  }
}

resource redisConnectionString 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-connection-string'
  properties: {
    value: '${redis.properties.hostName}:10000,password=${redisDatabase.listKeys().primaryKey},ssl=True,abortConnect=False'
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
#disable-next-line outputs-should-not-contain-secrets
output redisConnectionStringSecretUri string = '${vault.properties.vaultUri}secrets/${redisConnectionString.name}'
// The role assignment must exist before an app resolves a reference; callers depend on this output.
output readerAssignmentId string = reader.id
