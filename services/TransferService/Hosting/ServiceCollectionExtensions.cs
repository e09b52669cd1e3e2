using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.Options;
using TransferService.Core.Backbones;
using TransferService.Core.Batching;
using TransferService.Core.Datasets;
using TransferService.Core.Embeddings;
using TransferService.Core.Extraction;
using TransferService.Core.Heads;
using TransferService.Core.Jobs;
using TransferService.Core.Placement;
using TransferService.Core.Scheduling;
using TransferService.Core.Security;
using TransferService.Core.Telemetry;
using TransferService.Core.Tenants;
using TransferService.Grpc;
using TransferService.Jobs.Sqlite;
using TransferService.Lifecycle;
using TransferService.Onnx.Export;
using TransferService.Onnx.Installation;
using TransferService.Onnx.Lanes;
using TransferService.Onnx.Preprocessing;
using TransferService.Onnx.Training;
using TransferService.Onnx;
using TransferService.Security;
using TransferService.Startup;

namespace TransferService.Hosting;

/// <summary>The one place where Core is wired to its ONNX Runtime implementations and to gRPC.</summary>
internal static class ServiceCollectionExtensions
{
    public static IServiceCollection AddTransferGrpc(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions();
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = options.MaxReceiveMessageBytes;
            o.MaxSendMessageSize = null;
            o.Interceptors.Add<ErrorInterceptor>();
            o.Interceptors.Add<AuthenticationInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddSingleton<ServiceHealth>();
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownGracePeriod);
        // grpc-dotnet's binder provider would bind every method a second time, without the decoding check.
        foreach (var binder in services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true).ToList())
            services.Remove(binder);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(DecodingServiceMethodProvider<>));
        return services;
    }

    /// <summary>API keys, callers' tenants and their quotas.</summary>
    public static IServiceCollection AddTransferSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        services.AddOptions<TenantQuotaOptions>().BindConfiguration(TenantQuotaOptions.Section)
            .Validate(o => o.MaxStoredBytes > 0 && o.Overrides.Values.All(q => q.MaxStoredBytes is null or > 0),
                "Tenants:MaxStoredBytes must be positive").ValidateOnStart();
        services.AddSingleton(sp => new ApiKeyStore(DataPath(sp, "keys"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TenantStores(DataPath(sp, "tenants"), sp.GetRequiredService<IExampleValidator>())
            .AdoptUntenantedData(sp.GetRequiredService<IOptions<ServiceOptions>>().Value.DataFolder, Caller.DefaultTenant));
        services.AddSingleton(sp => new TenantQuotas(sp.GetRequiredService<TenantStores>(), sp.GetRequiredService<IOptions<TenantQuotaOptions>>().Value));
        services.AddHostedService<SecurityModeLog>();
        return services;
    }

    public static IServiceCollection AddTransferCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServiceOptions>().BindConfiguration(ServiceOptions.Section)
            .Validate(o => o.DataFolder.Length > 0, "Service:DataFolder must not be empty")
            .Validate(o => o.StreamWindow > 0, "Service:StreamWindow must be positive")
            .Validate(o => o.StreamIdleTimeout > TimeSpan.Zero, "Service:StreamIdleTimeout must be positive")
            .Validate(o => o.ShutdownGracePeriod > TimeSpan.Zero, "Service:ShutdownGracePeriod must be positive").ValidateOnStart();
        services.AddOptions<BackboneOptions>().BindConfiguration(BackboneOptions.Section)
            .Validate(o => o.MaxModelBytes > 0, "Backbones:MaxModelBytes must be positive").ValidateOnStart();
        services.AddOptions<BatchingOptions>().BindConfiguration(BatchingOptions.Section)
            .Validate(o => o.MaxDelay >= TimeSpan.Zero && o.MaxDelay <= TimeSpan.FromSeconds(1), "Batching:MaxDelay must be in 0..1s").ValidateOnStart();
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => o.TrainingSliceSteps > 0 && o.TrainingSliceDuration > TimeSpan.Zero, "Scheduling:TrainingSliceSteps and TrainingSliceDuration must be positive")
            .Validate(o => o.TenantWeights.Values.All(w => w > 0 && double.IsFinite(w)), "Scheduling:TenantWeights must be positive")
            .Validate(o => o.MaxQueuedItems.Values.All(n => n > 0), "Scheduling:MaxQueuedItems must be positive")
            .Validate(o => o.MaxPaddingFraction is >= 0 and < 1, "Scheduling:MaxPaddingFraction must be in [0, 1)")
            .Validate(o => o.BackgroundSliceDuration >= TimeSpan.Zero, "Scheduling:BackgroundSliceDuration must not be negative").ValidateOnStart();
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section)
            .Validate(o => o.MaxHeadParameters > 0 && o.MaxTrainingSteps > 0 && o.MaxTrainingBytes > 0,
                "Jobs:MaxHeadParameters, Jobs:MaxTrainingSteps and Jobs:MaxTrainingBytes must be positive")
            .Validate(o => o.MaxDuration > TimeSpan.Zero && o.MaxDuration <= TimeSpan.FromDays(30), "Jobs:MaxDuration must be in (0, 30 days]")
            .Validate(o => o.MaxActivePerTenant > 0, "Jobs:MaxActivePerTenant must be positive")
            .Validate(o => o.MaxConcurrent is > 0 and <= 64, "Jobs:MaxConcurrent must be in 1..64")
            .Validate(o => o.MaxAttempts > 0, "Jobs:MaxAttempts must be positive")
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.HeartbeatInterval * 2 <= o.LeaseDuration,
                "Jobs:HeartbeatInterval must be positive and at most half of Jobs:LeaseDuration")
            .Validate(o => o.RetryBackoff >= TimeSpan.Zero && o.PollInterval > TimeSpan.Zero && o.ProgressInterval > TimeSpan.Zero,
                "Jobs:RetryBackoff must not be negative; Jobs:PollInterval and Jobs:ProgressInterval must be positive").ValidateOnStart();
        services.AddOptions<ExampleLimits>().BindConfiguration(ExampleLimits.Section)
            .Validate(o => o.MaxImagePixels > 0 && o.MaxTextCharacters > 0, "Datasets:MaxImagePixels and Datasets:MaxTextCharacters must be positive")
            .ValidateOnStart();
        services.AddOptions<EmbeddingLimits>().BindConfiguration(EmbeddingLimits.Section)
            .Validate(o => o.MaxInputsPerRequest > 0, "Embedding:MaxInputsPerRequest must be positive")
            .Validate(o => o.MaxPreparedBytes > 0 && o.MaxPreparedBytesPerRequest > 0, "Embedding:MaxPreparedBytes and MaxPreparedBytesPerRequest must be positive")
            .Validate(o => o.MaxPreparationWait > TimeSpan.Zero, "Embedding:MaxPreparationWait must be positive").ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LaneSchedulers(
            sp.GetRequiredService<IBackboneRuntime>().Lanes,
            sp.GetRequiredService<IOptions<SchedulingOptions>>().Value,
            sp.GetRequiredService<IOptions<BatchingOptions>>().Value.MaxDelay,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TransferMetrics>()));
        services.AddSingleton(sp =>
        {
            var backbones = sp.GetRequiredService<IOptions<BackboneOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<ServiceOptions>>().Value.DataFolder;
            return new ModelRepository(backbones.ModelRepository.Length > 0 ? backbones.ModelRepository : Path.Combine(data, "models"));
        });
        services.AddSingleton(sp => new BackboneRegistry(
            sp.GetRequiredService<ModelRepository>(),
            sp.GetRequiredService<IBackboneRuntime>(),
            sp.GetRequiredService<IOptions<BackboneOptions>>().Value,
            sp.GetRequiredService<LaneSchedulers>(),
            sp.GetRequiredService<LanePlacement>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IEmbeddingScheduler, LeastLoadedScheduler>();
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<EmbeddingLimits>>().Value;
            return new PreparationBudget(limits.MaxPreparedBytes, limits.MaxPreparationWait, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new EmbeddingPipeline(
            sp.GetRequiredService<BackboneRegistry>(),
            sp.GetRequiredService<IEmbeddingScheduler>(),
            sp.GetRequiredService<IOptions<EmbeddingLimits>>().Value,
            sp.GetRequiredService<PreparationBudget>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new EmbeddingCache(DataPath(sp, "cache")));
        services.AddSingleton<DatasetEmbedder>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<JobOptions>>().Value);
        services.AddSingleton<IJobStore>(sp => new SqliteJobStore(DataPath(sp, "jobs")));
        services.AddSingleton(sp => new DurableJobRunner(sp.GetRequiredService<IJobStore>(), sp.GetServices<IJobHandler>,
            sp.GetRequiredService<JobOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DurableJobRunner>>(),
            sp.GetRequiredService<TransferMetrics>()));
        services.AddSingleton<IJobRunner>(sp => sp.GetRequiredService<DurableJobRunner>());
        services.AddSingleton<IJobHandler, TrainHeadJob>();
        services.AddHostedService<JobRunnerService>();
        services.AddSingleton<HeadTrainingService>();
        services.AddSingleton<HeadClassifier>();
        services.AddTransferExtraction();
        services.AddHostedService<BackboneStartupService>();
        return services;
    }

    /// <summary>Batch feature extraction: its options, the job handler and the service that validates and submits.</summary>
    private static IServiceCollection AddTransferExtraction(this IServiceCollection services)
    {
        services.AddOptions<ExtractionOptions>().BindConfiguration(ExtractionOptions.Section)
            .Validate(o => o.ChunkSize > 0 && o.MaxItems > 0 && o.MaxLineCharacters > 0 && o.MaxItemsInFlight > 0,
                "Extraction:ChunkSize, MaxItems, MaxLineCharacters and MaxItemsInFlight must be positive")
            .Validate(o => o.MaxTextFileBytes > 0 && o.MaxImageFileBytes > 0 && o.MaxBatchBytes > 0,
                "Extraction:MaxTextFileBytes, MaxImageFileBytes and MaxBatchBytes must be positive").ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ExtractionOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<ExtractionOptions>();
            return new ExtractionItems(sp.GetRequiredService<TenantStores>(), options.ImportRoot.Length > 0 ? new ImportRoot(options.ImportRoot) : null, options);
        });
        services.AddSingleton(sp => new ExtractionCleanup(() => sp.GetRequiredService<IJobRunner>(),
            sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
        services.AddSingleton<ChunkEmbedder>();
        services.AddSingleton<ExtractFeaturesJob>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<ExtractFeaturesJob>());
        services.AddSingleton<ExtractionService>();
        services.AddHostedService<ExtractionCleanupService>();
        return services;
    }

    public static IServiceCollection AddTransferOnnx(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LaneOptions>().BindConfiguration(LaneOptions.Section)
            .Validate(o => o.DeviceNames.All(LaneOptions.IsValidDeviceName), "Lanes:Devices must list names like cuda:0 or cpu")
            .Validate(o => o.MemoryBudgetBytes >= 0 && o.ParseMemoryBudgetOverrides() is not null,
                "Lanes:MemoryBudgetBytes must be 0 (automatic) or positive, Lanes:MemoryBudgetOverrides like cuda:0=8000000000,cpu=2000000000")
            .Validate(o => o.FootprintFactor > 0 && o.SpreadQueuedBatches > 0, "Lanes:FootprintFactor and Lanes:SpreadQueuedBatches must be positive")
            .Validate(o => o.ItemsPerRun >= 0, "Lanes:ItemsPerRun must be 0 (whole batches) or positive")
            .Validate(o => o.SessionConfig.All(e => e.Key.Length is > 0 and <= 128 && e.Value.Length <= 1024),
                "Lanes:SessionConfig keys must be 1-128 characters and values at most 1,024")
            .ValidateOnStart();
        services.AddSingleton(sp => new DeviceLaneSet(sp.GetRequiredService<IOptions<LaneOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LaneOptions>>().Value;
            return new LanePlacement(new PlacementOptions
            {
                Lanes = sp.GetRequiredService<DeviceLaneSet>().Lanes.Select(l => new LaneBudget(l.Name, LaneMemoryBudget.For(l, options))).ToArray(),
                FootprintFactor = options.FootprintFactor,
                SpreadQueuedBatches = options.SpreadQueuedBatches,
            });
        });
        services.AddSingleton<IBackboneRuntime>(sp => new OnnxBackboneRuntime(sp.GetRequiredService<DeviceLaneSet>(),
            sp.GetRequiredService<IOptions<BackboneOptions>>().Value.MaxModelBytes));
        services.AddSingleton<BuiltinBackboneInstaller>();
        services.AddSingleton<IHeadRuntime>(sp => new OnnxHeadRuntime(sp.GetRequiredService<DeviceLaneSet>(), sp.GetRequiredService<LaneSchedulers>()));
        services.AddSingleton<IHeadExporter, OnnxHeadExporter>();
        services.AddSingleton<IExampleValidator>(sp => new ExampleValidator(sp.GetRequiredService<IOptions<ExampleLimits>>().Value));
        return services;
    }

    private static string DataPath(IServiceProvider services, string folder) =>
        Path.Combine(services.GetRequiredService<IOptions<ServiceOptions>>().Value.DataFolder, folder);
}
