using Microsoft.Extensions.Logging;

namespace TransferService.Tests.Infrastructure;

/// <summary>Every line the server logs, after its level filters, as "category: message"; a logger provider to add to the
/// server's builder.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentList<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentList<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Add($"{logLevel} {category}: {formatter(state, exception)}");
    }
}
