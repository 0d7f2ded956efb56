using BeneficialRL.SiloHost;

await SiloHostApp.Build(args).RunAsync();
