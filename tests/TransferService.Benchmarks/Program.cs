using TransferService.Benchmarks;
using TransferService.Benchmarks.Measuring;
using TransferService.Benchmarks.Reporting;
using TransferService.Benchmarks.Service;

if (!BenchmarkOptions.TryParse(args, out var options, out var error))
{
    if (error is not null) Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return error is null ? 0 : 2;
}

if (options.MixedTextCallers > 0)
{
    Console.WriteLine(await MixedLengthBenchmark.RunAsync(options));
    return 0;
}

if (options.Mode == "datapath")
{
    Console.WriteLine(await DataPathBenchmark.RunAsync(options));
    return 0;
}
if (options.Mode == "stages")
{
    Console.WriteLine(await StageBenchmark.RunAsync(options));
    return 0;
}
if (options.Mode == "path")
{
    Console.WriteLine(await PathCostBenchmark.RunAsync(options));
    return 0;
}
if (options.Mode == "device")
{
    Console.WriteLine(await DeviceBenchmark.RunAsync(options));
    return 0;
}

await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device, options.Settings.ToDictionary());
if (options.Mode == "extraction")
{
    var extraction = new ExtractionBenchmark(options, service.Channel);
    var results = new List<(ExtractionThroughput, IReadOnlyList<Measurement>)>();
    foreach (var model in options.Models) results.Add(await extraction.RunAsync(model));
    Console.WriteLine(ResultTable.Describe(options));
    Console.WriteLine();
    Console.WriteLine(ResultTable.ToMarkdown(results.Select(r => r.Item1).ToArray()));
    Console.WriteLine();
    Console.WriteLine(ResultTable.ToMarkdown(results.SelectMany(r => r.Item2).ToArray()));
    return 0;
}
var benchmark = new ModelBenchmark(options, service.Channel);
var modelResults = new List<ModelResults>();
foreach (var model in options.Models) modelResults.Add(await benchmark.RunAsync(model));
var decoding = new List<DecodeThroughput>();
foreach (var result in modelResults)
foreach (var images in result.Encoded)
    decoding.Add(await new DecodeBenchmark(options, service.Services).RunAsync(images,
        result.Rows.Where(r => r.IsBare).Max(r => r.Result.ItemsPerSecond)));

Console.WriteLine(ResultTable.Describe(options));
Console.WriteLine();
Console.WriteLine(ResultTable.ToMarkdown(modelResults.SelectMany(r => r.Rows).ToArray()));
if (modelResults.Any(r => r.Paired is not null))
{
    Console.WriteLine();
    Console.WriteLine(ResultTable.ToMarkdown(modelResults.Select(r => r.Paired).OfType<PairedRatio>().ToArray(), options));
    Console.WriteLine();
    Console.WriteLine(ResultTable.ToMarkdown(modelResults.Select(r => r.LowLoad).OfType<LatencyPairs>().ToArray(), options));
}
if (decoding.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine(ResultTable.ToMarkdown(decoding));
}
return 0;
