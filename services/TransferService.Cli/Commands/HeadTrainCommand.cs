using System.CommandLine;
using Spectre.Console;
using TransferService.Cli.Output;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Commands;

/// <summary><c>transfer heads train</c>: starts a training job and follows it with a live progress bar. Without any
/// hyperparameter the server searches its default grid (the recommended call); any of them trains exactly that
/// config.</summary>
public static class HeadTrainCommand
{
    public static Command Create(CliSession session)
    {
        var name = new Option<string>("--name", "-n") { Description = "The head's name", Required = true };
        var backbone = new Option<string>("--backbone", "-b") { Description = "Backbone whose embeddings it learns from", Required = true };
        var dataset = new Option<string>("--dataset", "-d") { Description = "Training dataset id", Required = true };
        var validation = new Option<string?>("--validation-dataset") { Description = "Validation dataset id (default: a stratified 20% split)" };
        var epochs = new Option<uint?>("--epochs") { Description = "Epochs (sets an explicit config)" };
        var learningRate = new Option<float?>("--learning-rate") { Description = "AdamW learning rate (sets an explicit config)" };
        var batchSize = new Option<uint?>("--batch-size") { Description = "Batch size (sets an explicit config)" };
        var architecture = new Option<HeadArchitecture?>("--architecture") { Description = "Linear or Mlp (sets an explicit config)" };
        var seed = new Option<uint?>("--seed") { Description = "Seed of the split and initialisation (sets an explicit config)" };
        var priority = new Option<JobPriority?>("--priority") { Description = "High, Normal or Low" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id and return at once" };
        var command = new Command("train", "Train a head on a dataset and follow the job")
            { name, backbone, dataset, validation, epochs, learningRate, batchSize, architecture, seed, priority, noWait };
        session.SetAction(command, async (parse, client, cancellationToken) =>
        {
            var request = new TrainHeadRequest
            {
                Name = parse.GetValue(name)!, Backbone = parse.GetValue(backbone)!, DatasetId = parse.GetValue(dataset)!,
                ValidationDatasetId = parse.GetValue(validation) ?? "", Priority = parse.GetValue(priority) ?? JobPriority.Unspecified,
            };
            if (parse.GetValue(epochs) is not null || parse.GetValue(learningRate) is not null || parse.GetValue(batchSize) is not null ||
                parse.GetValue(architecture) is not null || parse.GetValue(seed) is not null)
            {
                request.Config = new TrainingConfig
                {
                    Epochs = parse.GetValue(epochs) ?? 0, LearningRate = parse.GetValue(learningRate) ?? 0,
                    BatchSize = parse.GetValue(batchSize) ?? 0, Architecture = parse.GetValue(architecture) ?? HeadArchitecture.Unspecified,
                    Seed = parse.GetValue(seed) ?? 0,
                };
            }
            var job = (await client.Heads.TrainHeadAsync(request, cancellationToken: cancellationToken)).Job;
            session.Console.MarkupLineInterpolated($"job [bold]{job.Id}[/] {JobText.State(job.State)}");
            if (parse.GetValue(noWait)) return 0;
            var last = await JobProgressBar.FollowAsync(session.Console, client, job.Id, cancellationToken);
            return JobProgressBar.Report(session.Console, last);
        });
        return command;
    }
}
