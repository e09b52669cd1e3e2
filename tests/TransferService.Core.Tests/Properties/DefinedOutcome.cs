using TransferService.Core.Errors;

namespace TransferService.Core.Tests.Properties;

/// <summary>The property every decoder of untrusted bytes must have: it succeeds, or it refuses with a
/// <see cref="TransferException"/> of a code a client can act on. Any other exception (or Internal) is a bug.</summary>
public static class DefinedOutcome
{
    public static void Of(Action decode, params ErrorCode[] allowed)
    {
        try
        {
            decode();
        }
        catch (TransferException e) when (allowed.Contains(e.Code))
        {
        }
    }
}
