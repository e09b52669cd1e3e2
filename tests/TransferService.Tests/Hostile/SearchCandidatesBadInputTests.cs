using Grpc.Core;
using TransferService.Contracts.V1;
using TransferService.Tests.Infrastructure;

namespace TransferService.Tests.Hostile;

/// <summary>A search request a client got wrong fails the call with INVALID_ARGUMENT naming the candidate's field; no job runs.</summary>
[Collection(ServerCollection.Name)]
public sealed class SearchCandidatesBadInputTests(ServerFixture server)
{
    private readonly HeadWorkflow _workflow = new(server);

    private async Task<string> Upload()
    {
        var dataset = await _workflow.UploadAsync("search-texts",
            [(HeadWorkflow.Text("good film"), "pos"), (HeadWorkflow.Text("great story"), "pos"), (HeadWorkflow.Text("bad film"), "neg"), (HeadWorkflow.Text("dull story"), "neg")]);
        return dataset.Id;
    }

    private Task Submit(string datasetId, TrainingConfig? config, IEnumerable<TrainingConfig> candidates) =>
        _workflow.Heads.TrainHeadAsync(new TrainHeadRequest
        {
            Name = "searched", Backbone = "minilm", DatasetId = datasetId, Config = config, Candidates = { candidates },
        }).ResponseAsync;

    [Fact]
    public async Task TrainHead_ConfigAndCandidates_InvalidArgumentNamingCandidates()
    {
        var dataset = await Upload();
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Submit(dataset, new TrainingConfig(), [new TrainingConfig()]), "candidates");
    }

    [Fact]
    public async Task TrainHead_ThirtyThreeCandidates_InvalidArgumentNamingCandidates()
    {
        var dataset = await Upload();
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Submit(dataset, null, Enumerable.Range(0, 33).Select(_ => new TrainingConfig())), "candidates");
    }

    [Fact]
    public async Task TrainHead_CandidateOutOfRange_InvalidArgumentNamingItsIndexAndField()
    {
        var dataset = await Upload();
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Submit(dataset, null, [new TrainingConfig(), new TrainingConfig { Dropout = 1.5f }]), "candidates[1].dropout");
    }

    [Fact]
    public async Task TrainHead_CandidatesWithDifferentValidationFractions_InvalidArgument()
    {
        var dataset = await Upload();
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => Submit(dataset, null, [new TrainingConfig(), new TrainingConfig { ValidationFraction = 0.3f }]), "candidates[1].validation_fraction");
    }

    [Fact]
    public async Task TrainHead_CandidateOverTheParameterLimit_InvalidArgumentNamingItsHiddenSizes()
    {
        var dataset = await Upload();
        var huge = new TrainingConfig { Architecture = HeadArchitecture.Mlp, HiddenSizes = { 8192, 8192, 8192, 8192 } };
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => Submit(dataset, null, [new TrainingConfig(), huge, new TrainingConfig()]), "candidates[1].hidden_sizes");
    }
}
