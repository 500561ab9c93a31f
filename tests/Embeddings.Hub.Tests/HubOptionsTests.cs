using Embeddings.Hub.Tests.Fakes;
using Embeddings.Hub;

namespace Embeddings.Hub.Tests;

/// <summary>Defaults come from the environment with huggingface_hub's names, precedence and parsing.</summary>
public sealed class HubOptionsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    private string Home => Path.Combine(_folder.Path, "home");

    private HubOptions FromEnvironment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        map.TryAdd(OperatingSystem.IsWindows() ? "USERPROFILE" : "HOME", Home);
        return new HubOptions(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void An_empty_environment_gives_the_public_hub_and_the_default_cache()
    {
        var options = FromEnvironment();

        Assert.Equal(new Uri("https://huggingface.co"), options.Endpoint);
        Assert.Equal(Path.Combine(Home, ".cache", "huggingface", "hub"), options.CacheDirectory);
        Assert.Null(options.Token);
        Assert.False(options.Offline);
        Assert.True(options.UseSymlinks);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MetadataTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DownloadTimeout);
    }

    [Fact]
    public void HF_ENDPOINT_is_used_without_its_trailing_slash_and_may_carry_a_path()
    {
        var options = FromEnvironment(("HF_ENDPOINT", "https://mirror.example/hf/"));
        using var transport = new HubTransport(options);

        Assert.Equal("https://mirror.example/hf", options.Endpoint.OriginalString);
        Assert.Equal("https://mirror.example/hf/org/model/resolve/refs%2Fpr%2F1/onnx/model%20v2.onnx",
            transport.ResolveUri("org/model", "refs/pr/1", "onnx/model v2.onnx").AbsoluteUri);
        Assert.Equal("https://mirror.example/hf/api/models/org/model/revision/main",
            transport.ApiUri("org/model", "main").AbsoluteUri);
    }

    [Theory]
    [InlineData("ftp://example.com")]
    [InlineData("not a url")]
    [InlineData("https://example.com/?q=1")]
    public void An_unusable_HF_ENDPOINT_is_reported_by_name(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => FromEnvironment(("HF_ENDPOINT", endpoint)));

        Assert.Contains("HF_ENDPOINT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_with_a_password_is_refused_without_repeating_it()
    {
        var error = Assert.Throws<ArgumentException>(() => FromEnvironment(("HF_ENDPOINT", "https://user:s3cret@example.com")));

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void XDG_CACHE_HOME_moves_the_default_home()
    {
        var xdg = Path.Combine(_folder.Path, "xdg");

        Assert.Equal(Path.Combine(xdg, "huggingface", "hub"), FromEnvironment(("XDG_CACHE_HOME", xdg)).CacheDirectory);
    }

    [Fact]
    public void HF_HOME_wins_over_XDG_CACHE_HOME_and_HF_HUB_CACHE_wins_over_both()
    {
        var hfHome = Path.Combine(_folder.Path, "hf-home");
        var hubCache = Path.Combine(_folder.Path, "hub-cache");

        Assert.Equal(Path.Combine(hfHome, "hub"), FromEnvironment(("HF_HOME", hfHome), ("XDG_CACHE_HOME", "elsewhere")).CacheDirectory);
        Assert.Equal(hubCache, FromEnvironment(("HF_HOME", hfHome), ("HF_HUB_CACHE", hubCache)).CacheDirectory);
        Assert.Equal(hubCache, FromEnvironment(("HUGGINGFACE_HUB_CACHE", hubCache)).CacheDirectory);
        Assert.Equal(hubCache, FromEnvironment(("HF_HUB_CACHE", hubCache), ("HUGGINGFACE_HUB_CACHE", "legacy")).CacheDirectory);
    }

    [Fact]
    public void A_leading_tilde_and_dollar_variables_are_expanded_like_python()
    {
        Assert.Equal(Path.Combine(Home, "models"), FromEnvironment(("HF_HUB_CACHE", "~/models")).CacheDirectory);
        Assert.Equal(Path.Combine(_folder.Path, "data", "hub"),
            FromEnvironment(("HF_HOME", "${DATA_ROOT}/data"), ("DATA_ROOT", _folder.Path)).CacheDirectory);
        Assert.Equal(Path.Combine(_folder.Path, "data", "hub"),
            FromEnvironment(("HF_HOME", "$DATA_ROOT/data"), ("DATA_ROOT", _folder.Path)).CacheDirectory);
    }

    [Fact]
    public void HF_TOKEN_wins_over_the_token_file_which_is_read_and_trimmed()
    {
        var hfHome = Path.Combine(_folder.Path, "hf-home");
        Directory.CreateDirectory(hfHome);
        File.WriteAllText(Path.Combine(hfHome, "token"), "  hf_fromFile\r\n");

        Assert.Equal("hf_fromFile", FromEnvironment(("HF_HOME", hfHome)).Token);
        Assert.Equal("hf_fromVariable", FromEnvironment(("HF_HOME", hfHome), ("HF_TOKEN", "hf_fromVariable")).Token);
        Assert.Equal("hf_legacy", FromEnvironment(("HF_HOME", hfHome), ("HUGGING_FACE_HUB_TOKEN", "hf_legacy")).Token);
        Assert.Null(FromEnvironment(("HF_HOME", hfHome), ("HF_TOKEN", "x"), ("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")).Token);
    }

    [Fact]
    public void HF_TOKEN_PATH_points_at_another_token_file()
    {
        var tokenFile = Path.Combine(_folder.Path, "secret-token");
        File.WriteAllText(tokenFile, "hf_elsewhere");

        Assert.Equal("hf_elsewhere", FromEnvironment(("HF_TOKEN_PATH", tokenFile)).Token);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("", false)]
    public void HF_HUB_OFFLINE_accepts_pythons_true_values(string value, bool offline)
    {
        Assert.Equal(offline, FromEnvironment(("HF_HUB_OFFLINE", value)).Offline);
    }

    [Fact]
    public void TRANSFORMERS_OFFLINE_counts_when_HF_HUB_OFFLINE_is_unset()
    {
        Assert.True(FromEnvironment(("TRANSFORMERS_OFFLINE", "1")).Offline);
        Assert.False(FromEnvironment(("HF_HUB_OFFLINE", "0"), ("TRANSFORMERS_OFFLINE", "1")).Offline);
    }

    [Fact]
    public void Symlinks_and_timeouts_follow_their_variables()
    {
        var options = FromEnvironment(("HF_HUB_DISABLE_SYMLINKS", "1"), ("HF_HUB_ETAG_TIMEOUT", "3"), ("HF_HUB_DOWNLOAD_TIMEOUT", "42"));

        Assert.False(options.UseSymlinks);
        Assert.Equal(TimeSpan.FromSeconds(3), options.MetadataTimeout);
        Assert.Equal(TimeSpan.FromSeconds(42), options.DownloadTimeout);
    }

    [Fact]
    public void A_timeout_that_is_not_a_number_is_reported_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => FromEnvironment(("HF_HUB_ETAG_TIMEOUT", "ten")));

        Assert.Contains("HF_HUB_ETAG_TIMEOUT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setters_refuse_unusable_values()
    {
        var options = FromEnvironment();

        Assert.Throws<ArgumentException>(() => options.Endpoint = new Uri("file:///tmp"));
        Assert.Throws<ArgumentException>(() => options.Token = "");
        Assert.Throws<ArgumentException>(() => options.Token = "hf_abc\r\nX-Injected: 1");
        Assert.Throws<ArgumentException>(() => options.CacheDirectory = " ");
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MetadataTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.DownloadTimeout = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxDownloadRetries = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RetryDelay = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxConcurrentDownloads = 0);
    }

    [Fact]
    public void A_clone_is_independent_and_a_client_keeps_its_own_copy()
    {
        var options = FromEnvironment();
        options.CacheDirectory = Path.Combine(_folder.Path, "first");
        var clone = options.Clone();
        using var client = new HubClient(options);

        options.CacheDirectory = Path.Combine(_folder.Path, "second");
        options.Offline = true;

        Assert.Equal(Path.Combine(_folder.Path, "first"), clone.CacheDirectory);
        Assert.False(clone.Offline);
        Assert.Equal(Path.Combine(_folder.Path, "first"), client.Cache.CacheDirectory);
    }

    [Fact]
    public void A_handler_that_follows_redirects_is_refused()
    {
        using var handler = new SocketsHttpHandler();
        var options = FromEnvironment();
        options.HttpMessageHandler = handler;

        Assert.Throws<ArgumentException>(() => new HubClient(options));
    }

    public void Dispose() => _folder.Dispose();
}
