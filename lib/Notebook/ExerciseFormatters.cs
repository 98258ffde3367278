using Course.Exercises;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Notebook;

/// <summary>Exercise checks show as Course.Exercises draws them: a green (passed) or red (not yet) box; plain text elsewhere.</summary>
internal static class ExerciseFormatters
{
    public static void Register()
    {
        Formatter.Register<CheckResult>((result, writer) => writer.Write(result.ToHtml()), MimeTypes.Html);
        Formatter.Register<CheckResult>((result, writer) => writer.Write(result.ToString()), MimeTypes.PlainText);
        Formatter.SetPreferredMimeTypesFor(typeof(CheckResult), MimeTypes.Html, MimeTypes.PlainText);
    }
}
