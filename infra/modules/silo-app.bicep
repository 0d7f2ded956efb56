// One Orleans silo as one Container App with exactly one replica (min = max = 1): a silo is an addressable cluster
// member with its own silo and gateway ports, not an interchangeable replica. The ports are exposed on the
// environment's internal network only; the API silo also has the one external HTTP ingress (port 8080).
param name string
param location string
param tags object
param environmentId string
param image string
@description('True while image is the placeholder sample: no health probes (it has no /health endpoints).')
param placeholder bool = false
@description('Silo__Roles: api, trainer or both.')
param roles string
param siloPort int
param gatewayPort int
param workloadProfileName string
param cpu string
param memory string
@description('True for the API silo: HTTP ingress on 8080 reachable from outside the environment.')
param externalHttpIngress bool
@description('Key Vault secret URI of the bootstrap admin key; empty = the silo gets none (trainers serve no API).')
param bootstrapAdminKeySecretUri string
@description('Settings shared by every silo (storage service URIs, identity, registry, cluster id, OTLP).')
param settings {
  storageBlobServiceUri: string
  storageTableServiceUri: string
  identityId: string
  identityClientId: string
  registryServer: string
  clusterId: string
  advertisedAddress: string
  otelExporterOtlpEndpoint: string
}

var httpPort = 8080
var siloPorts = [
  { external: false, targetPort: siloPort, exposedPort: siloPort }
  { external: false, targetPort: gatewayPort, exposedPort: gatewayPort }
]
var apiIngress = {
  external: true
  transport: 'http'
  targetPort: httpPort
  allowInsecure: false
  additionalPortMappings: siloPorts
}
// A trainer has no HTTP ingress: its silo port is the main (TCP, internal) ingress, the gateway port an extra one.
var trainerIngress = {
  external: false
  transport: 'tcp'
  targetPort: siloPort
  exposedPort: siloPort
  additionalPortMappings: [siloPorts[1]]
}

var adminKeySecret = empty(bootstrapAdminKeySecretUri)
  ? []
  : [{ name: 'bootstrap-admin-key', keyVaultUrl: bootstrapAdminKeySecretUri, identity: settings.identityId }]
var adminKeyEnv = empty(bootstrapAdminKeySecretUri) ? [] : [{ name: 'Auth__BootstrapAdminKey', secretRef: 'bootstrap-admin-key' }]
var otelEnv = empty(settings.otelExporterOtlpEndpoint)
  ? []
  : [
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: settings.otelExporterOtlpEndpoint }
      { name: 'OTEL_SERVICE_NAME', value: name }
    ]

var env = concat(
  [
    { name: 'ASPNETCORE_URLS', value: 'http://+:${httpPort}' }
    { name: 'Silo__Name', value: name }
    { name: 'Silo__Roles', value: roles }
    { name: 'Silo__SiloPort', value: string(siloPort) }
    { name: 'Silo__GatewayPort', value: string(gatewayPort) }
    { name: 'Orleans__ClusterId', value: settings.clusterId }
    { name: 'Orleans__ServiceId', value: 'beneficialrl' }
    // Membership and reminders live in the storage account's tables. Each silo advertises the environment's ingress
    // address, where the other silos reach it on its own silo and gateway ports (it listens on every interface).
    { name: 'Silo__AdvertisedAddress', value: settings.advertisedAddress }
    { name: 'Storage__BlobServiceUri', value: settings.storageBlobServiceUri }
    { name: 'Storage__TableServiceUri', value: settings.storageTableServiceUri }
    { name: 'AZURE_CLIENT_ID', value: settings.identityClientId }
  ],
  adminKeyEnv,
  otelEnv
)

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${settings.identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: workloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: externalHttpIngress ? apiIngress : trainerIngress
      registries: [{ server: settings.registryServer, identity: settings.identityId }]
      secrets: adminKeySecret
    }
    template: {
      containers: [
        {
          name: 'silo'
          image: image
          resources: { cpu: json(cpu), memory: memory }
          env: env
          probes: placeholder ? [] : [
            {
              type: 'Liveness'
              httpGet: { path: '/health/live', port: httpPort }
              initialDelaySeconds: 10
              periodSeconds: 30
            }
            {
              type: 'Readiness'
              httpGet: { path: '/health/ready', port: httpPort }
              initialDelaySeconds: 10
              periodSeconds: 15
            }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
}

output name string = app.name
output uri string = externalHttpIngress ? 'https://${app.properties.configuration.ingress.fqdn}' : ''
