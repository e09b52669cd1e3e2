using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Output;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer jobs list|watch|cancel</c>.</summary>
public static class JobsCommand
{
    public static Command Create(CliSession session) =>
        new("jobs", "List, watch and cancel jobs") { List(session), Watch(session), Cancel(session) };

    private static Command List(CliSession session)
    {
        var state = new Option<JobState?>("--state") { Description = "Only jobs in this state (Queued, Running, Succeeded, Failed, Cancelled)" };
        var kind = new Option<string?>("--kind") { Description = "Only jobs of this kind (train_head, extract_features)" };
        var limit = new Option<uint>("--limit") { Description = "At most this many, newest first (1-1000)", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List jobs, newest first") { state, kind, limit };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var reply = await client.Jobs.ListJobsAsync(new ListJobsRequest
            {
                State = parse.GetValue(state) ?? JobState.Unspecified, Kind = parse.GetValue(kind) ?? "", PageSize = parse.GetValue(limit),
            }, cancellationToken: cancellationToken);
            var table = new Table().AddColumns("id", "kind", "state", "progress", "outcome", "created");
            foreach (var job in reply.Jobs)
                table.AddRow(Markup.Escape(job.Id), Markup.Escape(job.Kind), JobText.State(job.State), Markup.Escape(JobText.Progress(job.Progress)),
                    Markup.Escape(JobText.Outcome(job)), job.Created?.ToDateTime().ToString("u") ?? "");
            session.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Watch(CliSession session)
    {
        var id = new Argument<string>("job") { Description = "The job's id" };
        var command = new Command("watch", "Follow a job until it finishes; exit code 0 only if it succeeded") { id };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var last = await JobProgressBar.FollowAsync(session.Console, client, parse.GetValue(id)!, cancellationToken);
            return JobProgressBar.Report(session.Console, last);
        });
        return command;
    }

    private static Command Cancel(CliSession session)
    {
        var id = new Argument<string>("job") { Description = "The job's id" };
        var command = new Command("cancel", "Cancel a queued or running job") { id };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var reply = await client.Jobs.CancelJobAsync(new CancelJobRequest { JobId = parse.GetValue(id)! }, cancellationToken: cancellationToken);
            session.Console.WriteLine(JobText.Line(reply.Job));
            return 0;
        });
        return command;
    }
}
