using Attention.Kernels.Simd;

namespace Attention.Kernels.Tiled;

/// <summary>
/// Where a work item finds the packed K (and V, when it is packed) of its key/value head. Two ways, chosen per call:
/// <list type="bullet">
/// <item><b>Packed up front</b> by the calling thread, every head at once, and read by every kernel thread: a long call
/// reads each panel many times, so the one copy that crosses between cores is paid for many times over.</item>
/// <item><b>Packed where used</b>, for calls whose panels fit in <see cref="PackWhereUsedLimit"/>: each kernel thread packs
/// the heads its own items need, once per call, into its own buffer. In a short call the panels are read only a few
/// times, and a panel written by one core and read by another is fetched from that core's cache line by line. On the
/// course VM, whose two vCPUs are sometimes placed far apart (a cache line there and back in ~450 ns, not ~115), a
/// two-thread causal call at n = 256, d = 128 took 430 µs with the caller's panels and 350 µs with each thread's
/// own, as fast as with the vCPUs close. Packing a head twice (once per thread) costs less than fetching it once from far away.</item>
/// </list>
/// When the panels of all heads would take more than <see cref="OneGroupAtATimeFloats"/> and each K/V head's group of
/// query heads has work for every thread, a call packs up front one key/value head at a time and runs the query heads
/// that share it before packing the next (<see cref="PacksOneGroupAtATime"/>): the extra memory is one head's panels,
/// not all of them (at n = 16384 with two K/V heads: 16.8 MB, not 33.6, at d = 128; 4.2, not 8.4, at d = 64). Measured:
/// as fast at d = 64 and 1–4 % faster at n = 16384, d = 128 (the threads work on the same head's panels).
/// </summary>
internal readonly unsafe struct HeadPanels<TW, TVec> where TW : IVectorWidth<TVec> where TVec : struct
{
    /// <summary>Largest packed K + V (floats, all heads) packed where used: 1 MB, so each thread's copy stays in its L2 cache.</summary>
    public const long PackWhereUsedLimit = 256 * 1024;

    /// <summary>Packed K + V (floats, all heads) above which a call packs one key/value head at a time: 4 MB.</summary>
    public const long OneGroupAtATimeFloats = 1024 * 1024;

    /// <summary>Work items a group must have per thread: a decoding step (one query row) of many heads stays one run, so its heads are shared by the threads.</summary>
    private const int OneGroupItemsPerThread = 8;

    private readonly float* _k, _v;              // the caller's k [kvHeads, n_k, d_k] and v [kvHeads, n_k, d_v]
    private readonly float* _keys, _values;      // packed up front: all heads (values null when V is not packed); else null
    private readonly long _call;                 // packed where used: this call's number (0 when packed up front)
    private readonly int _onlyHead;              // packed up front one head at a time: the head packed (else -1)
    private readonly AttentionShape _shape;

    private HeadPanels(float* k, float* v, float* keys, float* values, long call, in AttentionShape shape, int onlyHead = -1)
    {
        _onlyHead = onlyHead;
        _k = k;
        _v = v;
        _keys = keys;
        _values = values;
        _call = call;
        _shape = shape;
    }

    /// <summary>Whether a call of this shape packs where used (else up front).</summary>
    public static bool PacksWhereUsed(in AttentionShape shape, int maxThreads)
    {
        var (keyFloats, valueFloats) = FloatsPerHead(shape);
        long floats = shape.KvHeads * (keyFloats + valueFloats);
        return maxThreads > 1 && floats <= PackWhereUsedLimit && shape.KvHeads <= ThreadBuffers.MaxHeads;
    }

    /// <summary>Whether a call of this shape packs up front one key/value head at a time (see the type's summary).</summary>
    public static bool PacksOneGroupAtATime(in AttentionShape shape, int maxThreads)
    {
        var (keyFloats, valueFloats) = FloatsPerHead(shape);
        int groupItems = shape.GroupSize * QueryBlocks<TW, TVec>.BlocksPerHead(shape.QueryLength);
        return shape.KvHeads > 1 && shape.KvHeads * (keyFloats + valueFloats) > OneGroupAtATimeFloats
            && groupItems >= OneGroupItemsPerThread * Math.Max(1, maxThreads) && !PacksWhereUsed(shape, maxThreads);
    }

    /// <summary>
    /// Packed up front on the calling thread (every head, or only <paramref name="onlyHead"/> when it is not -1), or
    /// marked to be packed where used (see the type's summary).
    /// </summary>
    public static HeadPanels<TW, TVec> ForCall(float* k, float* v, in AttentionShape shape, int maxThreads, int onlyHead = -1)
    {
        if (onlyHead < 0 && PacksWhereUsed(shape, maxThreads))
            return new HeadPanels<TW, TVec>(k, v, null, null, Interlocked.Increment(ref s_calls), shape);

        var buffers = ThreadBuffers.Current;
        var (keyFloats, valueFloats) = FloatsPerHead(shape);
        int first = onlyHead < 0 ? 0 : onlyHead, count = onlyHead < 0 ? shape.KvHeads : 1;
        float* keys = buffers.Keys.Ensure(count * keyFloats);
        float* values = valueFloats == 0 ? null : buffers.Values.Ensure(count * valueFloats);
        for (int g = 0; g < count; g++)
        {
            KeyPanels.PackHead<TW, TVec>(k, shape, first + g, keys + g * keyFloats);
            if (values != null) ValuePanels.PackHead(v, shape, first + g, values + g * valueFloats);
        }
        return new HeadPanels<TW, TVec>(k, v, keys, values, 0, shape, onlyHead);
    }

    /// <summary>Head <paramref name="kvHead"/>'s key panels and value panels (null when V is not packed), packing them on this thread if needed.</summary>
    public void ForHead(int kvHead, out float* keys, out float* values)
    {
        var (keyFloats, valueFloats) = FloatsPerHead(_shape);
        if (_call == 0)
        {
            System.Diagnostics.Debug.Assert(_onlyHead < 0 || kvHead == _onlyHead, "a call packed one head at a time runs only that head's group");
            int slot = _onlyHead < 0 ? kvHead : 0;
            keys = _keys + slot * keyFloats;
            values = _values == null ? null : _values + slot * valueFloats;
            return;
        }
        var buffers = ThreadBuffers.Current;
        keys = buffers.Keys.Ensure(_shape.KvHeads * keyFloats) + kvHead * keyFloats;
        values = valueFloats == 0 ? null : buffers.Values.Ensure(_shape.KvHeads * valueFloats) + kvHead * valueFloats;
        if (buffers.Call != _call) (buffers.Call, buffers.PackedHeads) = (_call, 0);   // this thread's first item of the call
        ulong bit = 1UL << kvHead;
        if ((buffers.PackedHeads & bit) != 0) return;
        KeyPanels.PackHead<TW, TVec>(_k, _shape, kvHead, keys);
        if (values != null) ValuePanels.PackHead(_v, _shape, kvHead, values);
        buffers.PackedHeads |= bit;
    }

    /// <summary>Floats of one head's key panels and value panels (0 when V is not packed).</summary>
    private static (long Keys, long Values) FloatsPerHead(in AttentionShape shape) =>
        (KeyPanels.FloatsPerHead<TW, TVec>(shape), ValuePanels.Needed(shape) ? ValuePanels.FloatsPerHead(shape) : 0);

    private static long s_calls;
}

/// <summary>A thread's buffers for packed K and V, kept across calls, and which heads it has packed for which call.</summary>
internal sealed class ThreadBuffers
{
    /// <summary>Most key/value heads packed where used (one bit each).</summary>
    public const int MaxHeads = 64;

    [ThreadStatic] private static ThreadBuffers? t_current;

    public static ThreadBuffers Current => t_current ??= new ThreadBuffers();

    public readonly AlignedBuffer Keys = new(), Values = new();
    public long Call;            // the call PackedHeads refers to (0: none)
    public ulong PackedHeads;    // bit g: head g is packed for that call
}
