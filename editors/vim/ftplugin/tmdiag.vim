" tmdiag threat models (.tm): comments, words, indentation.
if exists("b:did_ftplugin")
  finish
endif
let b:did_ftplugin = 1

setlocal commentstring=#\ %s comments=:#
setlocal iskeyword=@,48-57,_,-
setlocal shiftwidth=2 softtabstop=2 expandtab
setlocal formatoptions-=t formatoptions+=croql

let b:undo_ftplugin = "setlocal commentstring< comments< iskeyword< shiftwidth< softtabstop< expandtab< formatoptions<"
