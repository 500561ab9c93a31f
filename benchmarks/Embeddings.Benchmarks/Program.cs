using BenchmarkDotNet.Running;
using Embeddings.Benchmarks;

// "compare ..." runs the plain timing harness used by benchmarks/compare; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare") return CompareHarness.Run(args[1..]);
// "wordpiece ..." times this project against FastBertTokenizer and Microsoft.ML.Tokenizers (see WordPieceAnchors).
if (args.Length > 0 && args[0] == "wordpiece") return WordPieceAnchors.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
