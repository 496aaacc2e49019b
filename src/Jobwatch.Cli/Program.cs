using Jobwatch.Cli;
using Jobwatch.Cli.Infrastructure;

return await CliApp.RunAsync(args, CliContext.FromProcess());
