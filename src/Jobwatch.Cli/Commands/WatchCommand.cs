using System.CommandLine;
using System.Text.Json;
using Jobwatch.Cli.Infrastructure;
using Jobwatch.Cli.Rendering;
using Jobwatch.Cli.Watch;
using Jobwatch.Client;

namespace Jobwatch.Cli.Commands;

/// <summary>
/// <c>jobwatch watch</c>: the active jobs, refreshed every interval until Ctrl-C. While the server cannot be reached
/// (or answers 5xx, as a proxy does while it restarts) the last jobs stay on screen under a banner and watch keeps
/// trying; it recovers by itself. Auth failures and a missing endpoint end it: waiting would not fix them.
/// </summary>
public static class WatchCommand
{
    public static Command Create(CliContext cli, GlobalOptions global)
    {
        var interval = new Option<double>("--interval", "-n")
        {
            Description = "Seconds between refreshes (0.2–3600).",
            HelpName = "seconds",
            DefaultValueFactory = _ => 2,
            CustomParser = result => CommonOptions.Seconds(result, "--interval", 0.2, 3600) ?? 0,
        };
        var command = new Command("watch", "The active jobs, refreshed live (every 2 s by default) until Ctrl-C. With --json: one JSON document per refresh.") { interval };
        command.SetServerAction(cli, global, RequiredRole.Viewer, (run, ct) => RunAsync(run, TimeSpan.FromSeconds(run.Value(interval)), ct));
        return command;
    }

    private static async Task<int> RunAsync(CommandRun run, TimeSpan interval, CancellationToken ct)
    {
        var cli = run.Cli;
        // --json writes one document per refresh and no screen at all.
        IWatchScreen? screen = run.Json ? null : cli.IsTerminal ? new TerminalScreen(cli.Out, cli.TerminalSize) : new AppendingScreen(cli.Out);
        var state = new WatchState();
        var requestTimeout = TimeSpan.FromSeconds(Math.Max(5, interval.TotalSeconds));
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                var wasUnreachable = state.Unreachable;
                await RefreshAsync(run, state, requestTimeout, ct);
                if (screen is null)
                {
                    ReportJson(run, state, wasUnreachable);
                    continue;
                }
                var surface = new Surface(new Ansi(cli.UseColor), cli.IsTerminal ? cli.TerminalSize().Width : int.MaxValue);
                screen.Draw(WatchFrame.Build(state, run.Server.Url, interval, DateTimeOffset.UtcNow, surface));
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C is how watch is meant to end.
        }
        finally
        {
            screen?.End();
        }
        return ExitCodes.Success;
    }

    private static async Task RefreshAsync(CommandRun run, WatchState state, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            var jobs = await run.Client.GetActiveJobsAsync(deadline.Token);
            state.Succeeded(jobs, DateTimeOffset.UtcNow);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            state.Failed($"no answer within {timeout.TotalSeconds:0} s", DateTimeOffset.UtcNow);
        }
        catch (HttpRequestException ex)
        {
            state.Failed(ErrorTranslator.Reason(ex), DateTimeOffset.UtcNow);
        }
        catch (JobwatchApiException ex) when ((int)ex.Status >= 500)
        {
            state.Failed($"{(int)ex.Status} {ex.Title}", DateTimeOffset.UtcNow);
        }
        catch (JsonException)
        {
            state.Failed("an answer that is not Jobwatch's JSON", DateTimeOffset.UtcNow);
        }
    }

    private static void ReportJson(CommandRun run, WatchState state, bool wasUnreachable)
    {
        if (!state.Unreachable)
        {
            if (wasUnreachable)
            {
                run.Note($"{run.Server.Url} answers again.");
            }
            run.WriteServerJson();
            run.Cli.Out.Flush();
        }
        else if (state.FailedAttempts == 1)
        {
            run.Note($"{WatchFrame.UnreachableBanner}: {state.UnreachableReason}; retrying.");
        }
    }
}
