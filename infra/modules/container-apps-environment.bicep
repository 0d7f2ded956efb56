// The Container Apps environment: workload profiles on the VNet subnet, console and system logs in Log Analytics.
// internal = false gives the environment a public address, but only an app with external ingress (the API silo) is
// reachable through it; trainer silos and every silo/gateway port are internal. internal = true removes the public
// address altogether (then the API is reached from the VNet, a peered network or a gateway in front of it).
param name string
param location string
param tags object
param logAnalyticsWorkspaceName string
param infrastructureSubnetId string
param internal bool
@description('Name of the GPU workload profile for trainer silos; empty = none (trainers on Consumption).')
param gpuProfileName string
@description('Workload profile type of the GPU profile, e.g. Consumption-GPU-NC8as-T4.')
param gpuProfileType string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsWorkspaceName
}

var consumption = [{ name: 'Consumption', workloadProfileType: 'Consumption' }]
var gpu = empty(gpuProfileName) ? [] : [{ name: gpuProfileName, workloadProfileType: gpuProfileType }]

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    // Logs go to Azure Monitor and from there, by the diagnostic setting below, to the workspace: no workspace key.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    vnetConfiguration: {
      infrastructureSubnetId: infrastructureSubnetId
      internal: internal
    }
    workloadProfiles: concat(consumption, gpu)
    zoneRedundant: false
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: workspace.id
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = environment.id
output defaultDomain string = environment.properties.defaultDomain
// The environment's ingress address: every silo app is reached there on its own silo/gateway ports, so it is the
// address each silo advertises to the others.
output staticIp string = environment.properties.staticIp
