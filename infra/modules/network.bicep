// The VNet the Container Apps environment lives in. The silos talk to each other (Orleans silo and gateway ports)
// only inside it; the subnet is delegated to the environment (a workload-profiles environment needs a /27 or larger).
param name string
param location string
param tags object
param addressPrefix string = '10.40.0.0/16'
param environmentSubnetPrefix string = '10.40.0.0/23'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'container-apps'
        properties: {
          addressPrefix: environmentSubnetPrefix
          delegations: [
            {
              name: 'container-apps-environment'
              properties: { serviceName: 'Microsoft.App/environments' }
            }
          ]
          // Storage is reached over the service endpoint; the account refuses every other network.
          serviceEndpoints: [{ service: 'Microsoft.Storage' }]
        }
      }
    ]
  }
}

output environmentSubnetId string = vnet.properties.subnets[0].id
