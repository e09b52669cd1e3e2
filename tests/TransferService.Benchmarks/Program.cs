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

await using var service = await InProcessService.StartAsync(options.DataFolder, options.Device);
var benchmark = new ModelBenchmark(options, service.Channel);
var measurements = new List<Measurement>();
foreach (var model in options.Models) measurements.AddRange(await benchmark.RunAsync(model));

Console.WriteLine(ResultTable.Describe(options));
Console.WriteLine();
Console.WriteLine(ResultTable.ToMarkdown(measurements));
return 0;
