using Microsoft.Extensions.Logging.Abstractions;
using TransferService.Core.Heads;
using TransferService.Core.Scheduling;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Training;
using TransferService.TrainingBenchmarks;
using TransferService.TrainingBenchmarks.Contenders;
using TransferService.TrainingBenchmarks.Dataset;
using TransferService.TrainingBenchmarks.Measuring;
using TransferService.TrainingBenchmarks.Neighbours;
using TransferService.TrainingBenchmarks.Reference;
using TransferService.TrainingBenchmarks.Reporting;

if (!TrainingBenchmarkOptions.TryParse(args, out var options, out var error))
{
    if (error is not null) Console.Error.WriteLine(error);
    Console.Error.WriteLine(TrainingBenchmarkOptions.Usage);
    return error is null ? 0 : 2;
}

if (options.Reference)
{
    Console.WriteLine(ReferenceRow.ToMarkdown(await ReferenceSuite.RunAsync(options)));
    return 0;
}

if (options.Neighbours)
{
    Console.WriteLine(NeighbourSearchBenchmark.Run(options.Repeats));
    return 0;
}

TrainingData embeddings;
try
{
    embeddings = EmbeddedFashionMnist.Load(options);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

var split = BenchmarkSplit.Stratified(embeddings, FashionMnistFiles.Classes);
var lanes = new DeviceLaneSet(new LaneOptions { Devices = options.Device }, NullLoggerFactory.Instance);
await using var schedulers = new LaneSchedulers(lanes.Lanes.Select(l => l.Name), new SchedulingOptions(), TimeSpan.Zero, TimeProvider.System, NullLoggerFactory.Instance);
var runtime = new OnnxHeadRuntime(lanes, schedulers);
var results = ContenderRunner.Run(ContenderLineup.Create(runtime, options.Device), split, options.Repeats);

Console.WriteLine(ComparisonTable.Describe(options, split));
Console.WriteLine();
Console.WriteLine(ComparisonTable.ToMarkdown(results));
Console.WriteLine();
Console.WriteLine(ComparisonTable.Verdict(results));
return 0;
