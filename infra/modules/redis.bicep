// Orleans clustering and reminders of several silos: the silo host speaks Redis today (ConnectionStrings__redis).
// Azure Managed Redis, TLS only. Its access key never leaves Azure: keyvault.bicep writes the connection string
// into Key Vault and the silos read it through a Key Vault reference.
param name string
param location string
param tags object

resource cluster 'Microsoft.Cache/redisEnterprise@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Balanced_B0' }
  properties: {
    minimumTlsVersion: '1.2'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    // One endpoint, no cluster-aware client needed; no eviction, because membership and reminders must stay.
    clusteringPolicy: 'EnterpriseCluster'
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Enabled'
  }
}

output name string = cluster.name
