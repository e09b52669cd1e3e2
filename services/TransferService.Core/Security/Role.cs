namespace TransferService.Core.Security;

/// <summary>What a caller may do. <see cref="User"/>: its own tenant's datasets, heads and jobs, embeddings and
/// classification. <see cref="Admin"/>: backbones, API keys and every tenant's data.</summary>
public enum Role
{
    User,
    Admin,
}
