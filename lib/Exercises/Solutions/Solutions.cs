namespace Course.Exercises;

/// <summary>
/// Reference solutions of every exercise, written the way a notebook's solution cell shows them: plain loops and
/// MathNet matrix products, float32 throughout. Each method has the signature its check expects, so
/// <c>Check.Softmax(Solutions.Softmax)</c> passes; the tests prove it for every check.
/// </summary>
public static partial class Solutions
{
}
