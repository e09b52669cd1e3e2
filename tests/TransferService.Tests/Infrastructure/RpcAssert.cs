using Google.Rpc;
using Grpc.Core;

namespace TransferService.Tests.Infrastructure;

public static class RpcAssert
{
    /// <summary>Asserts the call fails with <paramref name="code"/> and, when given, a BadRequest detail naming
    /// <paramref name="field"/>. Returns the status message.</summary>
    public static async Task<string> FailsAsync(StatusCode code, Func<Task> call, string? field = null)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        if (field is not null)
        {
            var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
            Assert.NotNull(badRequest);
            Assert.Equal(field, badRequest.FieldViolations.Single().Field);
        }
        return error.Status.Detail;
    }
}
