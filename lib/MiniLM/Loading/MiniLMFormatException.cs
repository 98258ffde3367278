namespace Attention.MiniLM;

/// <summary>
/// The ONNX model is not the BERT encoder the loader expects: a parameter, a node or a connection between nodes is
/// missing or has the wrong shape. The message names what was looked for and where.
/// </summary>
public sealed class MiniLMFormatException(string message) : FormatException(message);
