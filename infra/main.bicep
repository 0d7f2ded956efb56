// BeneficialRL on Azure Container Apps, deployed by `azd up` (see README, "Deploying to Azure").
// One Container App per Orleans silo (one replica each, its own silo/gateway ports): an API silo with the only
// public ingress, and N trainer silos on a GPU workload profile. Storage and Key Vault are reached with a
// user-assigned managed identity and RBAC; no storage key or connection string exists anywhere.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (pick one with Container Apps GPU capacity for the trainer profile).')
param location string

@description('Object id of the deploying principal (azd sets AZURE_PRINCIPAL_ID): it may read the bootstrap key from Key Vault. Empty = no assignment.')
param principalId string = ''

@minValue(0)
@maxValue(16)
@description('Number of trainer silos, one Container App each.')
param trainerCount int = 1

@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
  'Consumption'
])
@description('Workload profile type of the trainer silos: a serverless GPU profile, or Consumption (CPU only, TorchSharp falls back to the CPU).')
param trainerWorkloadProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Image of every silo. azd fills it from SERVICE_SILOHOST_IMAGE_NAME once it has pushed one; empty (the first provision) = the API app starts from a public placeholder and no trainer app is created yet.')
param siloImage string = ''

@description('OTLP endpoint the silos export traces, metrics and logs to (OTEL_EXPORTER_OTLP_ENDPOINT); empty = no export.')
param otelExporterOtlpEndpoint string = ''

@description('When true the environment has no public endpoint at all: the API silo is reachable only from the VNet (add a gateway or VPN).')
param internalEnvironment bool = false

@description('Name of an existing container registry to push to and pull from; empty = create one.')
param existingContainerRegistryName string = ''

@description('Resource group of existingContainerRegistryName; empty = the deployment\'s resource group.')
param existingContainerRegistryResourceGroup string = ''

@secure()
@description('Bootstrap admin key of the operator tenant, stored in Key Vault. azd passes the vault\'s current secret (or a new random one); a plain deployment without it generates one.')
param bootstrapAdminKey string = newGuid()

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
var resourceGroupName = 'rg-${environmentName}'
var createRegistry = empty(existingContainerRegistryName)
var registryResourceGroupName = createRegistry || empty(existingContainerRegistryResourceGroup) ? resourceGroupName : existingContainerRegistryResourceGroup
var gpuTrainers = trainerWorkloadProfileType != 'Consumption'
var trainerProfileName = gpuTrainers ? 'trainer-gpu' : 'Consumption'
// The placeholder is an ASP.NET sample listening on 8080, so the API app's first revision is healthy before azd
// pushes the real image; azure.yaml's postdeploy hook provisions again, which creates the trainers from that image.
var placeholder = empty(siloImage)
var image = placeholder ? 'mcr.microsoft.com/dotnet/samples:aspnetapp' : siloImage
var createdTrainerCount = placeholder ? 0 : trainerCount
// Orleans ports: every silo gets its own pair, so each silo app exposes distinct ports on the environment's network.
var apiSiloPort = 11111
var apiGatewayPort = 30000

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${token}'
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: rg
  params: {
    name: 'vnet-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    name: 'log-${token}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    allowedSubnetId: network.outputs.environmentSubnetId
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: resourceGroup(registryResourceGroupName)
  params: {
    name: createRegistry ? 'cr${token}' : existingContainerRegistryName
    create: createRegistry
    location: location
    tags: tags
    pullPrincipalId: identity.outputs.principalId
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${token}'
    location: location
    tags: tags
    readerPrincipalId: identity.outputs.principalId
    officerPrincipalId: principalId
    bootstrapAdminKey: bootstrapAdminKey
  }
}

module environment 'modules/container-apps-environment.bicep' = {
  name: 'container-apps-environment'
  scope: rg
  params: {
    name: 'cae-${token}'
    location: location
    tags: tags
    logAnalyticsWorkspaceName: monitoring.outputs.name
    infrastructureSubnetId: network.outputs.environmentSubnetId
    internal: internalEnvironment
    gpuProfileName: gpuTrainers ? trainerProfileName : ''
    gpuProfileType: gpuTrainers ? trainerWorkloadProfileType : ''
  }
}

var siloSettings = {
  storageBlobServiceUri: storage.outputs.blobServiceUri
  storageTableServiceUri: storage.outputs.tableServiceUri
  identityId: identity.outputs.id
  identityClientId: identity.outputs.clientId
  registryServer: registry.outputs.loginServer
  clusterId: 'beneficialrl-${environmentName}'
  advertisedAddress: environment.outputs.staticIp
  otelExporterOtlpEndpoint: otelExporterOtlpEndpoint
}

module apiSilo 'modules/silo-app.bicep' = {
  name: 'silo-api'
  scope: rg
  params: {
    name: 'ca-api-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'silohost' })
    environmentId: environment.outputs.id
    image: image
    placeholder: placeholder
    roles: 'api'
    siloPort: apiSiloPort
    gatewayPort: apiGatewayPort
    workloadProfileName: 'Consumption'
    cpu: '2.0'
    memory: '4Gi'
    externalHttpIngress: true
    bootstrapAdminKeySecretUri: vault.outputs.bootstrapAdminKeySecretUri
    settings: siloSettings
  }
}

module trainerSilos 'modules/silo-app.bicep' = [
  for i in range(0, createdTrainerCount): {
    name: 'silo-trainer-${i}'
    scope: rg
    params: {
      name: 'ca-trainer-${i}-${token}'
      location: location
      tags: tags
      environmentId: environment.outputs.id
      image: image
      placeholder: false
      roles: 'trainer'
      siloPort: apiSiloPort + 1 + i
      gatewayPort: apiGatewayPort + 1 + i
      workloadProfileName: trainerProfileName
      // The serverless T4 profile gives a replica 8 vCPU / 56 GiB; the CPU fallback gets the Consumption maximum.
      cpu: gpuTrainers ? '8.0' : '4.0'
      memory: gpuTrainers ? '56Gi' : '8Gi'
      externalHttpIngress: false
      bootstrapAdminKeySecretUri: ''
      settings: siloSettings
    }
  }
]

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = environment.outputs.id
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_STORAGE_BLOB_SERVICE_URI string = storage.outputs.blobServiceUri
output AZURE_STORAGE_TABLE_SERVICE_URI string = storage.outputs.tableServiceUri
output AZURE_CLIENT_ID string = identity.outputs.clientId
output SERVICE_SILOHOST_NAME string = apiSilo.outputs.name
output SERVICE_SILOHOST_URI string = apiSilo.outputs.uri
output TRAINER_SILO_NAMES array = [for i in range(0, createdTrainerCount): trainerSilos[i].outputs.name]
