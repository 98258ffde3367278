namespace Attention.Benchmarks.Peak;

/// <summary>
/// Runs the FMA probe on several threads at once: the calling thread plus dedicated helper threads that wait at a
/// barrier, so every thread really runs its copy at the same time (a Parallel.For over two items may run both on one
/// thread when the pool is slow to wake, which would report one core's throughput as two).
/// </summary>
public sealed class FmaTeam : IDisposable
{
    private readonly Barrier _start, _finish;
    private readonly Thread[] _helpers;
    private Func<float> _probe = () => 0f;
    private volatile bool _stopping;
    private float _sink;

    public FmaTeam(int threads)
    {
        _start = new Barrier(threads);
        _finish = new Barrier(threads);
        _helpers = new Thread[threads - 1];
        for (int i = 0; i < _helpers.Length; i++)
        {
            _helpers[i] = new Thread(HelperLoop) { IsBackground = true, Name = $"FMA probe {i + 1}" };
            _helpers[i].Start();
        }
    }

    /// <summary>Every thread runs <paramref name="probe"/> once, together; returns when all are done.</summary>
    public float Run(Func<float> probe)
    {
        _probe = probe;
        _start.SignalAndWait();
        float result = probe();
        _finish.SignalAndWait();
        return result + _sink;
    }

    private void HelperLoop()
    {
        while (true)
        {
            _start.SignalAndWait();
            if (_stopping) return;
            _sink = _probe();
            _finish.SignalAndWait();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        if (_helpers.Length > 0) _start.SignalAndWait();
        foreach (var helper in _helpers) helper.Join();
        _start.Dispose();
        _finish.Dispose();
    }
}
