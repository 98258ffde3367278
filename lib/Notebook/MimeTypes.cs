namespace Course.Notebook;

/// <summary>The MIME types the course's formatters write.</summary>
public static class MimeTypes
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    /// <summary>plotly's own figure MIME type: JupyterLab, nteract and the course site draw it from the figure JSON.</summary>
    public const string PlotlyFigure = "application/vnd.plotly.v1+json";
}
