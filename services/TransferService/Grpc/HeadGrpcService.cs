using TransferService.Core.Scheduling;
using Google.Protobuf;
using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Core.Backbones;
using TransferService.Core.Errors;
using TransferService.Core.Heads;
using TransferService.Core.Tenants;
using TransferService.Security;

namespace TransferService.Grpc;

/// <summary>Heads of the caller's tenant.</summary>
internal sealed class HeadGrpcService(
    HeadTrainingService training,
    TenantStores stores,
    HeadClassifier classifier,
    IHeadExporter exporter,
    ModelRepository models) : HeadService.HeadServiceBase
{
    private const int DefaultTopK = 5;
    private const int ExportChunkBytes = 1 << 20;

    public override Task<TrainHeadResponse> TrainHead(TrainHeadRequest request, ServerCallContext context)
    {
        var job = training.Submit(new TrainHeadCommand(context.Tenant(), request.Name, request.Backbone, request.DatasetId,
            request.ValidationDatasetId, HeadMapper.ToCore(request.Config), HeadMapper.ToCore(request.Candidates),
            JobMapper.ToCore(request.Priority, "priority"), request.IdempotencyKey));
        return Task.FromResult(new TrainHeadResponse { Job = JobMapper.ToContract(job) });
    }

    public override Task<GetHeadResponse> GetHead(GetHeadRequest request, ServerCallContext context)
    {
        var heads = stores.Heads(context.Tenant());
        var record = Read(heads, request.Head);
        return Task.FromResult(new GetHeadResponse { Head = HeadMapper.ToContract(record, heads.Aliases(record.Name)) });
    }

    public override Task<ListHeadsResponse> ListHeads(ListHeadsRequest request, ServerCallContext context)
    {
        var heads = stores.Heads(context.Tenant());
        return Task.FromResult(new ListHeadsResponse { Heads = { heads.Names().Select(n => Summary(heads, n)) } });
    }

    public override Task<DeleteHeadResponse> DeleteHead(DeleteHeadRequest request, ServerCallContext context)
    {
        var heads = stores.Heads(context.Tenant());
        var reference = HeadMapper.ToCore(request.Head);
        classifier.Evict(heads, reference.Name, heads.Delete(reference));
        return Task.FromResult(new DeleteHeadResponse());
    }

    public override Task<SetHeadAliasResponse> SetHeadAlias(SetHeadAliasRequest request, ServerCallContext context)
    {
        var heads = stores.Heads(context.Tenant());
        heads.SetAlias(request.Name, request.Alias, (int)Math.Min(request.Version, int.MaxValue));
        return Task.FromResult(new SetHeadAliasResponse { Head = Summary(heads, request.Name) });
    }

    public override async Task<ClassifyResponse> Classify(ClassifyRequest request, ServerCallContext context)
    {
        var inputs = new Core.Inputs.EmbeddingInput[request.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            try { inputs[i] = InputMapper.ToCore(request.Inputs[i]); }
            catch (TransferException e) { throw e.WithFieldPrefix($"inputs[{i}]"); }
        }
        var topK = request.TopK == 0 ? DefaultTopK : (int)Math.Min(request.TopK, 1000);
        var (_, predictions) = await classifier.ClassifyAsync(stores.Heads(context.Tenant()), request.Backbone, request.Heads.Select(HeadMapper.ToCore).ToArray(),
            inputs, WorkTag.Interactive(context.Tenant()), context.CancellationToken, (int)Math.Min(request.NearestK, int.MaxValue));
        var response = new ClassifyResponse();
        foreach (var prediction in predictions)
        {
            var labels = prediction.Head.Labels;
            var result = new HeadResult { Name = prediction.Head.Name, Version = (uint)prediction.Head.Version };
            if (prediction.Familiarity is not null && prediction.Head.FamiliarityThreshold is { } threshold) result.FamiliarityThreshold = threshold;
            for (var i = 0; i < inputs.Length; i++)
            {
                var row = prediction.Probabilities.AsSpan(i * labels.Length, labels.Length).ToArray();
                var contract = new Prediction
                {
                    Top = { Enumerable.Range(0, labels.Length).OrderByDescending(c => row[c]).Take(topK)
                        .Select(c => new LabelScore { Label = labels[c], Probability = row[c] }) },
                    Abstain = prediction.Abstains(i),
                    Nearest = { prediction.Nearest[i].Select(HeadMapper.ToContract) },
                };
                if (prediction.Familiarity is { } familiarity) contract.Familiarity = familiarity[i];
                result.Predictions.Add(contract);
            }
            response.Heads.Add(result);
        }
        return response;
    }

    public override async Task ExportHead(ExportHeadRequest request, IServerStreamWriter<ExportHeadResponse> responseStream, ServerCallContext context)
    {
        var record = Read(stores.Heads(context.Tenant()), request.Head);
        var backbone = BackboneManifestReader.Read(models.Folder(record.Backbone, "head"));
        if (backbone.Version != record.BackboneVersion)
            throw new TransferException(ErrorCode.FailedPrecondition,
                $"head {record.Name} v{record.Version} was trained on {record.Backbone} {record.BackboneVersion}; the repository now holds {backbone.Version}", "head");
        var exported = await Task.Run(() => exporter.Export(record, backbone, models.Folder(record.Backbone)), context.CancellationToken);
        for (var offset = 0; offset < exported.Onnx.Length; offset += ExportChunkBytes)
        {
            var chunk = new ExportHeadResponse { Chunk = ByteString.CopyFrom(exported.Onnx, offset, Math.Min(ExportChunkBytes, exported.Onnx.Length - offset)) };
            if (offset == 0)
            {
                chunk.InputNames.AddRange(exported.InputNames);
                chunk.OutputName = exported.OutputName;
                chunk.Labels.AddRange(record.Labels);
            }
            await responseStream.WriteAsync(chunk, context.CancellationToken);
        }
    }

    private static HeadRecord Read(HeadStore heads, Contracts.V1.HeadReference? reference)
    {
        var core = HeadMapper.ToCore(reference);
        return heads.Read(core.Name, heads.Resolve(core));
    }

    /// <summary>A head whose aliases file is damaged is still listed, marked damaged: one bad file must not
    /// fail the listing for every head.</summary>
    private static HeadSummary Summary(HeadStore heads, string name)
    {
        var summary = new HeadSummary { Name = name, Versions = { heads.Versions(name).Select(v => (uint)v) } };
        try { summary.Aliases.Add(heads.Aliases(name).ToDictionary(a => a.Key, a => (uint)a.Value)); }
        catch (TransferException e) when (e.Code == ErrorCode.FailedPrecondition) { summary.Damaged = e.Message; }
        return summary;
    }
}
