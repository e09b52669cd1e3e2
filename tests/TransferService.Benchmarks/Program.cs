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
if (options.Mode == "device")
{
    Console.WriteLine(await DeviceBenchmark.RunAsync(options));
    return 0;
}

await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device);
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
var measurements = new List<Measurement>();
var paired = new List<PairedRatio>();
foreach (var model in options.Models)
{
    var (rows, pairs) = await benchmark.RunAsync(model);
    measurements.AddRange(rows);
    if (pairs is not null) paired.Add(pairs);
}

Console.WriteLine(ResultTable.Describe(options));
Console.WriteLine();
Console.WriteLine(ResultTable.ToMarkdown(measurements));
if (paired.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine(ResultTable.ToMarkdown(paired, options));
}
return 0;
