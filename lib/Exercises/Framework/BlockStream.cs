using System.Collections;

namespace Course.Exercises.Framework;

/// <summary>
/// Blocks of logits that can be read only once, in order, like a file read into a reused buffer: each block array
/// (one buffer per block length) is valid until the next block is read. An online algorithm keeps running statistics
/// and never needs a block again; code that keeps the arrays to read them later sees overwritten data, and a second
/// enumeration throws.
/// </summary>
internal sealed class BlockStream(float[][] blocks) : IEnumerable<float[]>
{
    private bool started;

    public IEnumerator<float[]> GetEnumerator()
    {
        if (started)
            throw new LearnerOutputException(
                "your function read the stream of blocks twice. An online softmax sees each block once, in order.",
                "Keep a running maximum m and a running sum l; for each block, update both in a single pass (rescale l by exp(m_old − m_new) when the maximum grows).",
                "mistake:read-twice");
        started = true;
        return Read();
    }

    private IEnumerator<float[]> Read()
    {
        var buffers = new Dictionary<int, float[]>();
        foreach (float[] block in blocks)
        {
            if (!buffers.TryGetValue(block.Length, out float[]? buffer))
                buffers[block.Length] = buffer = new float[block.Length];
            block.CopyTo(buffer, 0);
            yield return buffer;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
