function createPageHTML(n,c,p,s){if(n==null||n<=1){return;}c=c||0;
function h(i){return i==0?p+'.'+s:p+'_'+i+'.'+s;}var t='<div class="page">共'+n+'页 ';
if(c>0){t+='<a href="'+h(0)+'">首页</a><a href="'+h(c-1)+'">上一页</a>';}
for(var i=0;i<n;i++){t+=i==c?'<span>'+(i+1)+'</span>':'<a href="'+h(i)+'">'+(i+1)+'</a>';}
if(c<n-1){t+='<a href="'+h(c+1)+'">下一页</a><a href="'+h(n-1)+'">尾页</a>';}document.write(t+'</div>');}
