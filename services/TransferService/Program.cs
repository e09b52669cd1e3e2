using TransferService.Hosting;
using TransferService.Security;

if (KeysCommand.Matches(args)) return KeysCommand.Run(args, Console.Out, Console.Error);

var app = TransferServiceApp.Create(args);
app.Run();
return 0;
