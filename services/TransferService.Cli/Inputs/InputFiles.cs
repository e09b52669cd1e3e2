using System.CommandLine;
using TransferService.Client.Datasets;
using TransferService.Contracts.V1;

namespace TransferService.Cli.Inputs;

/// <summary>The inputs named on a command line, each with an id: image files as they are (id: the path as given);
/// every image directly in a named folder, in ordinal name order; each non-empty line of a <c>.txt</c> file
/// (id: <c>file:line</c>); each <c>--text</c> (id: <c>text[i]</c>). Read lazily, one at a time.</summary>
public static class InputFiles
{
    public static Argument<string[]> PathsArgument() =>
        new("paths") { Description = "Image files, folders of images, .txt files (one text a line)", Arity = ArgumentArity.ZeroOrMore };

    public static IEnumerable<(string Id, Input Input)> Read(IEnumerable<string> paths, IEnumerable<string> texts)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in ImageFolderLayout.ImageFiles(path)) yield return (file, ImageFolderLayout.ReadImage(file));
            }
            else if (string.Equals(Path.GetExtension(path), ".txt", StringComparison.OrdinalIgnoreCase))
            {
                var line = 0;
                foreach (var text in File.ReadLines(path))
                {
                    line++;
                    if (text.Length > 0) yield return ($"{path}:{line}", new Input { Text = text });
                }
            }
            else if (File.Exists(path)) yield return (path, ImageFolderLayout.ReadImage(path));
            else throw new FileNotFoundException($"'{path}' is neither a file nor a folder");
        }
        var index = 0;
        foreach (var text in texts) yield return ($"text[{index++}]", new Input { Text = text });
    }
}
