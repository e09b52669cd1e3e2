namespace TransferService.Deployment.Tests.Infrastructure;

/// <summary>The one image name every deployment file uses; the tag names the Dockerfile target it was built from.</summary>
public static class ImageName
{
    public const string Repository = "transfer-service";

    public static (string Repository, string Tag) Split(string image)
    {
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "");
    }
}
