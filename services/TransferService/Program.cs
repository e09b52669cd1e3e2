using TransferService.Hosting;

var app = TransferServiceApp.Create(args);
app.Run();
