namespace Course.Charts;

public static partial class Chart
{
    /// <summary>
    /// A figure with a slider: the learner drags it and the plot shows another precomputed frame (a d_k, a temperature,
    /// a query token…), with no kernel running.
    /// </summary>
    /// <param name="frames">At least one; labels unique and non-empty. With <see cref="SliderMethod.Animate"/> every frame has the same number of traces, of the same types.</param>
    /// <param name="prefix">Text before the current label, e.g. "temperature = ".</param>
    /// <param name="active">Index of the frame shown first.</param>
    /// <param name="method">How steps switch frames.</param>
    /// <param name="layout">Base layout; null: the active frame's <see cref="SliderFrame.Layout"/> (from <see cref="SliderFrame.From"/>) or an empty one. It is copied, not changed.</param>
    /// <param name="playButton">Add Play/Pause buttons (animate only).</param>
    public static Figure Slider(IReadOnlyList<SliderFrame> frames, string prefix = "", int active = 0,
        SliderMethod method = SliderMethod.Animate, Layout? layout = null, bool playButton = false)
    {
        CheckFrames(frames, active, method);
        var baseLayout = (layout ?? frames[active].Layout ?? new Layout()).ShallowCopy();
        if (frames[active].Title is { } activeTitle) baseLayout.Title = activeTitle;
        var slider = new Slider
        {
            Active = active,
            CurrentValue = new SliderCurrentValue { Prefix = prefix, Visible = true, XAnchor = "left" },
            Pad = new Pad { T = 50 },
            Len = playButton ? 0.9 : 1,
            X = playButton ? 0.1 : 0,
        };
        var figure = new Figure { Layout = baseLayout };
        if (method == SliderMethod.Animate) FillAnimated(figure, frames, active, slider);
        else FillVisibility(figure, frames, active, slider);
        baseLayout.Sliders = [.. baseLayout.Sliders ?? [], slider];
        if (playButton && method == SliderMethod.Animate) baseLayout.UpdateMenus = [.. baseLayout.UpdateMenus ?? [], PlayPauseMenu()];
        return figure;
    }

    /// <summary>Frames made from figures: <c>Chart.Slider(temperatures.Select(t => ($"{t}", Chart.AttentionHeatmap(...))).ToList())</c>.</summary>
    public static Figure Slider(IReadOnlyList<(string Label, Figure Figure)> frames, string prefix = "", int active = 0,
        SliderMethod method = SliderMethod.Animate, bool playButton = false) =>
        Slider(frames.Select(f => SliderFrame.From(f.Label, f.Figure)).ToList(), prefix, active, method, layout: null, playButton);

    private static void FillAnimated(Figure figure, IReadOnlyList<SliderFrame> frames, int active, Slider slider)
    {
        figure.Data.AddRange(frames[active].Traces);
        figure.Frames = [];
        foreach (var frame in frames)
        {
            figure.Frames.Add(new Frame
            {
                Name = frame.Label,
                Data = [.. frame.Traces],
                Layout = frame.Title is null ? null : new Layout { Title = frame.Title },
            });
            slider.Steps.Add(SliderStep.Animate(frame.Label, frame.Label));
        }
    }

    private static void FillVisibility(Figure figure, IReadOnlyList<SliderFrame> frames, int active, Slider slider)
    {
        var owner = new List<int>(); // owner[t] = the frame trace t belongs to
        for (var f = 0; f < frames.Count; f++)
            foreach (var trace in frames[f].Traces)
            {
                // A copy: visibility differs per frame, and the caller's traces (maybe shared by frames) stay as they were.
                var copy = trace.ShallowCopy();
                copy.Visible = f == active;
                figure.Data.Add(copy);
                owner.Add(f);
            }
        for (var f = 0; f < frames.Count; f++)
        {
            var visible = owner.Select(o => (object?)(o == f)).ToArray();
            var layoutChanges = new Dictionary<string, object?>();
            if (frames[f].Title is { } frameTitle) layoutChanges["title.text"] = frameTitle;
            slider.Steps.Add(SliderStep.Update(frames[f].Label, new Dictionary<string, object?> { ["visible"] = visible }, layoutChanges));
        }
    }

    private static UpdateMenu PlayPauseMenu() => new()
    {
        Type = "buttons",
        Direction = "left",
        ShowActive = false,
        X = 0.1,
        Y = 0,
        XAnchor = "right",
        YAnchor = "top",
        Pad = new Pad { T = 60, R = 10 },
        Buttons =
        [
            new MenuButton
            {
                Label = "▶", Method = "animate",
                Args = [null, new AnimationOptions { FromCurrent = true, Frame = new FrameTiming { Duration = 600, Redraw = true }, Transition = new TransitionTiming { Duration = 0 } }],
            },
            new MenuButton
            {
                Label = "❚❚", Method = "animate",
                Args = [new object?[] { null }, new AnimationOptions { Mode = "immediate", Frame = new FrameTiming { Duration = 0, Redraw = false }, Transition = new TransitionTiming { Duration = 0 } }],
            },
        ],
    };

    private static void CheckFrames(IReadOnlyList<SliderFrame> frames, int active, SliderMethod method)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0) throw new ArgumentException("A slider needs at least one frame; frames is empty.", nameof(frames));
        if (active < 0 || active >= frames.Count)
            throw new ArgumentOutOfRangeException(nameof(active), active, $"active must index one of the {frames.Count} frames.");
        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (var f = 0; f < frames.Count; f++)
        {
            var frame = frames[f] ?? throw new ArgumentException($"frames[{f}] is null.", nameof(frames));
            if (string.IsNullOrWhiteSpace(frame.Label)) throw new ArgumentException($"frames[{f}] has an empty label; slider steps are named by label.", nameof(frames));
            if (!labels.Add(frame.Label)) throw new ArgumentException($"frames[{f}] repeats the label \"{frame.Label}\"; labels name the frames and must be unique.", nameof(frames));
            if (method == SliderMethod.Animate && frame.Traces.Count != frames[0].Traces.Count)
                throw new ArgumentException(
                    $"frames[{f}] (\"{frame.Label}\") has {frame.Traces.Count} traces but frames[0] (\"{frames[0].Label}\") has {frames[0].Traces.Count}; an animated frame replaces the traces one for one.",
                    nameof(frames));
        }
    }
}
