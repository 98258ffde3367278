using Attention.Tests.TestSupport;
using Xunit.Abstractions;
namespace Attention.Tests.Kernels;
public class ZzDiag(ITestOutputHelper log)
{
    [Fact]
    public void Diag()
    {
        var shape = new AttentionShape(1, 1, 81, headDim: 4, valueDim: 2);
        var options = new AttentionOptions { Mask = Masks.Make(MaskKind.Padding, shape, 1001) };
        var c = new AttentionCase(shape, options, 1001, amplitude: 2f);
        var (exact, w) = c.Exact();
        foreach (var path in new[] { KernelPath.Reference, KernelPath.Simd, KernelPath.Tiled })
        {
            var (o, _) = c.Run(path, false);
            log.WriteLine($"{path}: {o[0]:R} {o[1]:R} err {Math.Abs(o[0] - exact[0]):E3} {Math.Abs(o[1] - exact[1]):E3}");
        }
        log.WriteLine($"exact {exact[0]:R} {exact[1]:R}; sum|w v| = {Enumerable.Range(0, 81).Sum(j => Math.Abs(w[j] * c.V[2 * j])):F4}");
    }
}
