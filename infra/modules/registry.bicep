// The registry `dotnet publish /t:PublishContainer` (through azd) pushes the silo image to, created here or an
// existing one; the silos pull with their managed identity (AcrPull), never with an admin password.
param name string
@description('True to create the registry; false to use an existing one of that name in this resource group.')
param create bool
param location string
param tags object
param pullPrincipalId string

var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource created 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (create) {
  name: name
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: name
  dependsOn: [created]
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, pullPrincipalId, acrPull)
  scope: registry
  properties: {
    principalId: pullPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

output loginServer string = registry.properties.loginServer
